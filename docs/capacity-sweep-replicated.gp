# Drawn by ipcsim plot; restyle freely and redraw with: gnuplot THIS_FILE
# or elsewhere: gnuplot -e "output='other.png'" THIS_FILE
source = 'results/capacity-sweep-replicated.csv: throughput_msgs_per_s, latency_p99_s against capacity'
if (!exists('output')) output = 'docs/capacity-sweep-replicated.svg'
if (!exists('format')) format = (strlen(output) > 4 && output[strlen(output)-3:] eq 'png') ? 'png' : 'svg'
if (format eq 'png') { set terminal pngcairo size 900,680 enhanced font 'sans,10' } else { set terminal svg size 900,680 dynamic enhanced font 'sans,10' background 'white' }
set output output
set datafile missing '?'
set grid
set format y '%g'
set lmargin 12
set key outside right top
$series1 << EOD
0 1353.44 9.01109329 0.00249499722 8.71136628e-05
1 1526.8 10.9393342 0.00281058045 5.98443663e-05
2 1618.44 17.4447378 0.0033073204 6.44912072e-05
3 1708.12 15.328994 0.00426662119 0.000158320595
4 1817.76 14.8558229 0.00836711951 0.00086948491
5 1825.2 15.9214052 0.0101206489 0.00242161214
EOD
$series2 << EOD
0 953.08 13.938307 9.7448e-05 0
1 1323.24 14.7234331 0.0017656376 5.01243638e-05
2 1541.96 13.8582158 0.00254984904 6.61769246e-05
3 1727.28 11.6697917 0.00368141882 0.000125417709
4 1951.08 11.3482923 0.00910831506 0.00040505965
5 1993.76 18.5855154 0.0183649115 0.00501634277
EOD
set multiplot layout 2,1 title 'capacity-sweep (results/capacity-sweep-replicated.csv)' noenhanced
set xlabel 'capacity' noenhanced
set xrange [-0.5:5.5]
set xtics noenhanced ('0' 0, '1' 1, '2' 2, '4' 3, '16' 4, 'unbounded' 5)
set ylabel 'throughput (messages/s), 95% interval' noenhanced
unset logscale y
plot $series1 using 1:2:3 with yerrorlines pointtype 7 title 'mode=blocking' noenhanced, \
     $series2 using 1:2:3 with yerrorlines pointtype 7 title 'mode=nonblocking' noenhanced
set ylabel 'latency p99 (s), 95% interval' noenhanced
set logscale y
plot $series1 using 1:4:5 with yerrorlines pointtype 7 title 'mode=blocking' noenhanced, \
     $series2 using 1:4:5 with yerrorlines pointtype 7 title 'mode=nonblocking' noenhanced
unset multiplot
