# kvmsim plot; run from this directory: gnuplot compare_stages.gp
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1000,600 font ",10" } \
  else { set terminal svg size 1000,600 font ",10" }
  set output "compare_stages.".fmt
  set title "mean latency per stage" noenhanced
  set grid
  set xtics rotate by -30 noenhanced
  set style data histograms
  set style histogram rowstacked
  set style fill solid 0.8 border -1
  set boxwidth 0.6
  set ylabel "mean time (ns)"
  set key outside right invert
  plot "compare_stages.dat" using 2:xtic(1) title "queue", "" using 3 title "signal", "" using 4 title "exit", "" using 5 title "host", "" using 6 title "entry", "" using 7 title "ack", "" using 8 title "handler"
}
