# kvmsim plot; run from this directory: gnuplot compare_cdf.gp
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1000,600 font ",10" } \
  else { set terminal svg size 1000,600 font ",10" }
  set output "compare_cdf.".fmt
  set title "injection latency" noenhanced
  set grid
  set logscale x
  set xlabel "latency: assertion to guest handler (ns)"
  set ylabel "fraction of interrupts"
  set yrange [0:1.05]
  set key bottom right
  plot "compare_cdf.dat" index 0 using 1:2 with lines lw 2 title "gicv2-spi-idle" noenhanced, \
       "compare_cdf.dat" index 1 using 1:2 with lines lw 2 title "gicv3-spi-idle" noenhanced
}
