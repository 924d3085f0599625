package org.gba4j.experiment;

import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** The figures' charts (XChart), one look for all: 800 x 500, percent on the y axis. */
final class Plots {
    private Plots() {
    }

    /** One line per series over shared x values; NaN points (unfinished cells) are left out. */
    static XYChart lines(String title, String xTitle, String yTitle, double[] x, Map<String, double[]> series) {
        XYChart chart = new XYChartBuilder().width(1000).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        series.forEach((name, y) -> {
            int n = 0;
            for (double v : y) {
                n += Double.isNaN(v) ? 0 : 1;
            }
            if (n == 0) {
                return;
            }
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0, j = 0; i < y.length; i++) {
                if (!Double.isNaN(y[i])) {
                    xs[j] = x[i];
                    ys[j++] = y[i];
                }
            }
            chart.addSeries(name, xs, ys);
        });
        return chart;
    }

    /** Grouped bars: one group per category, one bar per series. */
    static CategoryChart bars(String title, String xTitle, String yTitle, List<String> categories,
                              Map<String, List<Double>> series) {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(500).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        series.forEach((name, values) -> chart.addSeries(name, categories,
                values.stream().map(v -> (Number) (Double.isNaN(v) ? 0.0 : v)).toList()));
        return chart;
    }
}
