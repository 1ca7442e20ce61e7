# Drawn by ipcsim plot; restyle freely and redraw with: gnuplot THIS_FILE
# or elsewhere: gnuplot -e "output='other.png'" THIS_FILE
source = 'results/stream-window.csv: throughput_msgs_per_s, latency_p99_s against capacity'
if (!exists('output')) output = 'docs/stream-window.svg'
if (!exists('format')) format = (strlen(output) > 4 && output[strlen(output)-3:] eq 'png') ? 'png' : 'svg'
if (format eq 'png') { set terminal pngcairo size 900,680 enhanced font 'sans,10' } else { set terminal svg size 900,680 dynamic enhanced font 'sans,10' background 'white' }
set output output
set datafile missing '?'
set grid
set format y '%g'
set lmargin 12
set key outside right top
$series1 << EOD
1 5555 0.00031
2 7692 0.00047
4 9524 0.00079
8 10808 0.00143
16 11584 0.00271
64 12224 0.01039
256 12288 0.02053
1024 12288 0.08197
EOD
$series2 << EOD
1 99 0.01516
2 196 0.01532
4 388 0.01564
8 752 0.01628
16 1424 0.01756
64 4224 0.02524
256 8192 0.02548
1024 10240 0.08692
EOD
set multiplot layout 2,1 title 'stream-window (results/stream-window.csv)' noenhanced
set xlabel 'capacity' noenhanced
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
set logscale x
set ylabel 'throughput (messages/s)' noenhanced
set logscale y
plot $series1 using 1:2 with linespoints pointtype 7 title 'latency=50us' noenhanced, \
     $series2 using 1:2 with linespoints pointtype 7 title 'latency=5ms' noenhanced
set ylabel 'latency p99 (s)' noenhanced
set logscale y
plot $series1 using 1:3 with linespoints pointtype 7 title 'latency=50us' noenhanced, \
     $series2 using 1:3 with linespoints pointtype 7 title 'latency=5ms' noenhanced
unset multiplot
