# kvmsim plot; run from this directory: gnuplot fidelity.gp
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1000,600 font ",10" } \
  else { set terminal svg size 1000,600 font ",10" }
  set output "fidelity.".fmt
  set title "simulated / published, per microbenchmark" noenhanced
  set grid
  set ylabel "simulated / published"
  set yrange [0:*]
  set xrange [-0.7:11.7]
  set xtics rotate by -35 noenhanced
  set style fill solid 0.7 border -1
  set boxwidth 0.7
  set key inside top left
  set bmargin 12
  set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb "black"
  set object 1 rect from graph 0, first 0.75 to graph 1, first 1.25 behind fc rgb "#e8f0e8" fs solid noborder
  plot "fidelity.dat" using 1:($3 == 0 ? $2 : 1/0):xtic(4) with boxes lc rgb "#8c8c8c" title "calibration (agrees by construction)", \
       "fidelity.dat" using 1:($3 == 1 ? $2 : 1/0) with boxes lc rgb "#3b6ea5" title "prediction", \
       1/0 with boxes lc rgb "#e8f0e8" title "within +-25 %"
}
