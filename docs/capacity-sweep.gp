# Drawn by ipcsim plot; restyle freely and redraw with: gnuplot THIS_FILE
# or elsewhere: gnuplot -e "output='other.png'" THIS_FILE
source = 'results/capacity-sweep.csv: throughput_msgs_per_s, latency_p99_s against capacity'
if (!exists('output')) output = 'docs/capacity-sweep.svg'
if (!exists('format')) format = (strlen(output) > 4 && output[strlen(output)-3:] eq 'png') ? 'png' : 'svg'
if (format eq 'png') { set terminal pngcairo size 900,680 enhanced font 'sans,10' } else { set terminal svg size 900,680 dynamic enhanced font 'sans,10' background 'white' }
set output output
set datafile missing '?'
set grid
set format y '%g'
set lmargin 12
set key outside right top
$series1 << EOD
0 1352.2 0.00240763744
1 1527.8 0.00275194396
2 1611 0.00326100471
3 1708.4 0.0041312162
4 1812.4 0.00830655574
5 1821.8 0.00977669502
EOD
$series2 << EOD
0 959.2 9.7448e-05
1 1322.2 0.0017651992
2 1543.2 0.00251868621
3 1718.6 0.00378901629
4 1953.4 0.00861340176
5 1989.2 0.0169189133
EOD
set multiplot layout 2,1 title 'capacity-sweep (results/capacity-sweep.csv)' noenhanced
set xlabel 'capacity' noenhanced
set xrange [-0.5:5.5]
set xtics noenhanced ('0' 0, '1' 1, '2' 2, '4' 3, '16' 4, 'unbounded' 5)
set ylabel 'throughput (messages/s)' noenhanced
unset logscale y
plot $series1 using 1:2 with linespoints pointtype 7 title 'mode=blocking' noenhanced, \
     $series2 using 1:2 with linespoints pointtype 7 title 'mode=nonblocking' noenhanced
set ylabel 'latency p99 (s)' noenhanced
set logscale y
plot $series1 using 1:3 with linespoints pointtype 7 title 'mode=blocking' noenhanced, \
     $series2 using 1:3 with linespoints pointtype 7 title 'mode=nonblocking' noenhanced
unset multiplot
