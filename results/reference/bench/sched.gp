# kvmsim scheduler benchmark plot; run from this directory: gnuplot sched.gp
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1200,480 font ",10" } \
  else { set terminal svg size 1200,480 font ",10" }
  set output "sched.".fmt
  set multiplot layout 1,2 title "kvmsim scheduler: host time per simulated event (median of 3 runs)"
  set logscale xy
  set grid
  set key top left
  set ylabel "host time per event (ns)"
  set xlabel "(a) periodic events with mixed clock periods, N"
  plot "sched_periodic.dat" using 1:2 with linespoints lw 2 title "kvmsim (timing wheel)", \
       "" using 1:3 with linespoints lw 2 title "kvmsim (4-ary heap)", \
       "" using 1:4 with linespoints lw 2 title "SystemC 2.3 kernel"
  set xlabel "(b) hold model, pending events"
  plot "sched_hold.dat" using 1:2 with linespoints lw 2 title "kvmsim (timing wheel)", \
       "" using 1:3 with linespoints lw 2 title "kvmsim (4-ary heap)"
  unset multiplot
}
