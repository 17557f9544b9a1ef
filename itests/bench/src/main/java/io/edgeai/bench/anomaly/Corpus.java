package io.edgeai.bench.anomaly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The evaluation corpus, rebuilt the same from a seed: real series (hourly temperatures of Seattle and San Francisco
 * in 2010, daily weather of Seattle 2012-2015, as Debian's python3-vega-datasets ships them) and artificial ones
 * (daily cycles, random walks, machine on/off cycles, autoregressive noise, a three-value server, an office's hourly
 * load over half a year), each with anomalies put in after its probationary first 15%: spikes, dips, level shifts, noise
 * bursts, stuck values, slow drifts, changes of shape, and in the office a working day idle or a weekend at work. Two artificial series carry no anomaly (only false alerts can be made on them).
 */
final class Corpus {

    static final Path VEGA = Path.of("/usr/lib/python3/dist-packages/vega_datasets/_data");
    private static final String[] KINDS = {"spike", "dip", "shift", "noise", "stuck", "drift", "shape"};

    private Corpus() {
    }

    static List<LabelledSeries> build(long seed) throws IOException {
        Random random = new Random(seed);
        List<LabelledSeries> corpus = new ArrayList<>();
        // real series
        List<long[]> times = new ArrayList<>();
        double[] seattle = hourly(VEGA.resolve("seattle-temps.csv"), 1, 0, "yyyy/MM/dd HH:mm", times);
        corpus.add(inject("seattle-temps", times.get(0), "temp", seattle, 4, random));
        times.clear();
        double[] sf = hourly(VEGA.resolve("sf-temps.csv"), 0, 1, "yyyy/MM/dd HH:mm:ss", times);
        corpus.add(inject("sf-temps", times.get(0), "temp", sf, 4, random));
        for (String column : new String[] {"temp_max", "temp_min", "wind"}) {
            times.clear();
            double[] daily = daily(VEGA.resolve("seattle-weather.csv"), column, times);
            corpus.add(inject("seattle-" + column, times.get(0), column, daily, 2, random));
        }
        // artificial series, 5-minute readings
        long start = LocalDateTime.of(2025, 3, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        int n = 6000;
        long[] fiveMinutes = new long[n];
        for (int i = 0; i < n; i++) {
            fiveMinutes[i] = start + i * 300_000L;
        }
        corpus.add(inject("daily-cycle", fiveMinutes, "x", daily(n, random), 4, random));
        corpus.add(inject("random-walk", fiveMinutes, "x", walk(n, random), 3, random));
        corpus.add(inject("on-off", fiveMinutes, "x", onOff(n, random), 3, random));
        corpus.add(inject("ar1", fiveMinutes, "x", ar1(n, random), 3, random));
        corpus.add(inject("sawtooth-trend", fiveMinutes, "x", sawtooth(n, random), 3, random));
        corpus.add(server(fiveMinutes, random));
        corpus.add(office(random));
        corpus.add(clean("quiet-daily-cycle", fiveMinutes, "x", daily(n, random)));
        corpus.add(clean("quiet-ar1", fiveMinutes, "x", ar1(n, random)));
        return corpus;
    }

    private static double[] hourly(Path file, int valueColumn, int dateColumn, String pattern, List<long[]> times)
            throws IOException {
        List<String> lines = Files.readAllLines(file);
        DateTimeFormatter format = DateTimeFormatter.ofPattern(pattern);
        double[] values = new double[lines.size() - 1];
        long[] millis = new long[values.length];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            values[i - 1] = Double.parseDouble(cells[valueColumn]);
            millis[i - 1] = LocalDateTime.parse(cells[dateColumn], format).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        times.add(millis);
        return values;
    }

    private static double[] daily(Path file, String column, List<long[]> times) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> header = List.of(lines.get(0).split(","));
        int at = header.indexOf(column);
        double[] values = new double[lines.size() - 1];
        long[] millis = new long[values.length];
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy/MM/dd");
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            values[i - 1] = Double.parseDouble(cells[at]);
            millis[i - 1] = LocalDate.parse(cells[0], format).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        times.add(millis);
        return values;
    }

    private static double[] daily(int n, Random random) {
        double[] x = new double[n];
        double amplitude = 5 + 10 * random.nextDouble();
        double noise = 0.3 + random.nextDouble();
        for (int i = 0; i < n; i++) {
            x[i] = 50 + amplitude * Math.sin(2 * Math.PI * i / 288.0) + noise * random.nextGaussian();
        }
        return x;
    }

    private static double[] walk(int n, Random random) {
        double[] x = new double[n];
        double level = 100;
        double velocity = 0;
        for (int i = 0; i < n; i++) {
            velocity = 0.95 * velocity + 0.05 * random.nextGaussian();
            level += velocity;
            x[i] = level + 0.2 * random.nextGaussian();
        }
        return x;
    }

    private static double[] onOff(int n, Random random) {
        double[] x = new double[n];
        int period = 40 + random.nextInt(40);
        int on = period / 3;
        for (int i = 0; i < n; i++) {
            x[i] = (i % period < on ? 12 : 2) + 0.3 * random.nextGaussian();
        }
        return x;
    }

    private static double[] ar1(int n, Random random) {
        double[] x = new double[n];
        double value = 0;
        for (int i = 0; i < n; i++) {
            value = 0.8 * value + random.nextGaussian();
            x[i] = 20 + value;
        }
        return x;
    }

    private static double[] sawtooth(int n, Random random) {
        double[] x = new double[n];
        int period = 100 + random.nextInt(100);
        for (int i = 0; i < n; i++) {
            x[i] = 10 + 0.002 * i + 4.0 * (i % period) / period + 0.15 * random.nextGaussian();
        }
        return x;
    }

    /**
     * An office building's hourly load over 26 weeks from a Monday: a working day's hump from 8:00 to 18:00 on weekdays,
     * idle at weekends. Its anomalies are whole days in the wrong part of the week (a weekday idle, a weekend day at
     * work): every reading in its usual range, only the week tells.
     */
    private static LabelledSeries office(Random random) {
        long monday = LocalDateTime.of(2025, 1, 6, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        int n = 26 * 168;
        long[] millis = new long[n];
        double[] x = new double[n];
        double[] workingDay = new double[24];
        for (int h = 8; h < 18; h++) {
            workingDay[h] = 60 * Math.sin(Math.PI * (h - 7.5) / 10.5);
        }
        int[] starts = spread(n, 3, random);
        List<int[]> anomalies = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        boolean[] swapped = new boolean[n / 24];
        for (int start : starts) {
            int day = start / 24;
            swapped[day] = true;
            anomalies.add(new int[] {day * 24, day * 24 + 24});
            kinds.add(day % 7 < 5 ? "weekday-idle" : "weekend-work");
        }
        for (int i = 0; i < n; i++) {
            millis[i] = monday + i * 3_600_000L;
            int day = i / 24;
            boolean working = day % 7 < 5 != swapped[day];
            x[i] = 20 + (working ? workingDay[i % 24] : 0) + 3 * random.nextGaussian();
        }
        return new LabelledSeries("office", millis, List.of("load"), column(x), anomalies, kinds);
    }

    /** CPU, memory and network of a server: a daily load, memory creeping up and freed, network following the load. */
    private static LabelledSeries server(long[] millis, Random random) {
        int n = millis.length;
        double[][] v = new double[n][3];
        double memory = 40;
        for (int i = 0; i < n; i++) {
            double load = 30 + 20 * Math.sin(2 * Math.PI * i / 288.0) + 3 * random.nextGaussian();
            memory = memory > 80 ? 40 : memory + 0.02 + 0.05 * random.nextGaussian();
            v[i][0] = load;
            v[i][1] = memory;
            v[i][2] = 2 * load + 5 * random.nextGaussian();
        }
        List<int[]> anomalies = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        int[] starts = spread(n, 3, random);
        String[] kindsHere = {"spike", "shift", "stuck"};
        for (int a = 0; a < starts.length; a++) {
            int column = random.nextInt(3);
            double[] series = new double[n];
            for (int i = 0; i < n; i++) {
                series[i] = v[i][column];
            }
            int[] range = put(series, starts[a], kindsHere[a], random);
            for (int i = 0; i < n; i++) {
                v[i][column] = series[i];
            }
            anomalies.add(range);
            kinds.add(kindsHere[a] + "(" + List.of("cpu", "memory", "network").get(column) + ")");
        }
        return new LabelledSeries("server", millis, List.of("cpu", "memory", "network"), v, anomalies, kinds);
    }

    private static LabelledSeries clean(String name, long[] millis, String value, double[] x) {
        return new LabelledSeries(name, millis, List.of(value), column(x), List.of(), List.of());
    }

    private static LabelledSeries inject(String name, long[] millis, String value, double[] x, int count,
            Random random) {
        double[] series = x.clone();
        List<int[]> anomalies = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (int start : spread(series.length, count, random)) {
            String kind = KINDS[random.nextInt(KINDS.length)];
            anomalies.add(put(series, start, kind, random));
            kinds.add(kind);
        }
        return new LabelledSeries(name, millis, List.of(value), column(series), anomalies, kinds);
    }

    /** Anomaly starts after the first 15%, at least a tenth of the series apart. */
    private static int[] spread(int n, int count, Random random) {
        int first = (int) (0.2 * n);
        int span = (int) (0.75 * n) - first;
        int[] starts = new int[count];
        for (int a = 0; a < count; a++) {
            int slot = span / count;
            starts[a] = first + a * slot + random.nextInt(Math.max(1, slot / 2));
        }
        return starts;
    }

    /** Puts one anomaly of a kind at {@code start}; its size follows the series' spread around it. */
    private static int[] put(double[] x, int start, String kind, Random random) {
        double sd = localSd(x, start);
        double sign = random.nextBoolean() ? 1 : -1;
        int length;
        switch (kind) {
            case "spike", "dip" -> {
                x[start] += ("dip".equals(kind) ? -1 : 1) * (4 + 4 * random.nextDouble()) * sd;
                length = 1;
            }
            case "shift" -> {
                length = 100 + random.nextInt(300);
                double by = sign * (1.5 + random.nextDouble()) * sd;
                for (int i = start; i < Math.min(x.length, start + length); i++) {
                    x[i] += by;
                }
            }
            case "noise" -> {
                length = 30 + random.nextInt(70);
                for (int i = start; i < Math.min(x.length, start + length); i++) {
                    x[i] += (1 + random.nextDouble()) * sd * random.nextGaussian();
                }
            }
            case "stuck" -> {
                length = 30 + random.nextInt(70);
                for (int i = start + 1; i < Math.min(x.length, start + length); i++) {
                    x[i] = x[start];
                }
            }
            case "drift" -> {
                length = 100 + random.nextInt(100);
                double by = sign * (2 + random.nextDouble()) * sd;
                for (int i = start; i < Math.min(x.length, start + 2 * length); i++) {
                    x[i] += by * Math.min(1, (i - start) / (double) length);
                }
                length *= 2;
            }
            default -> { // shape: a stretch played backwards
                length = 40 + random.nextInt(40);
                int end = Math.min(x.length, start + length);
                for (int i = start, j = end - 1; i < j; i++, j--) {
                    double t = x[i];
                    x[i] = x[j];
                    x[j] = t;
                }
            }
        }
        return new int[] {start, Math.min(x.length, start + length)};
    }

    /** The standard deviation of the series over the 200 readings before {@code at}. */
    private static double localSd(double[] x, int at) {
        int from = Math.max(0, at - 200);
        double mean = 0;
        for (int i = from; i < at; i++) {
            mean += x[i];
        }
        mean /= Math.max(1, at - from);
        double squares = 0;
        for (int i = from; i < at; i++) {
            squares += (x[i] - mean) * (x[i] - mean);
        }
        return Math.max(1e-6, Math.sqrt(squares / Math.max(1, at - from)));
    }

    private static double[][] column(double[] x) {
        double[][] v = new double[x.length][1];
        for (int i = 0; i < x.length; i++) {
            v[i][0] = x[i];
        }
        return v;
    }
}
