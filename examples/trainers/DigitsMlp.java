import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A small multi-layer perceptron trained on the 8x8 handwritten digits (1,797 images, shipped in
 * examples/data/digits), in plain Java so the examples need nothing but a JDK: {@code java DigitsMlp.java --args}.
 *
 * <p>Prints one JSON line per epoch ({@code epoch}, {@code loss}, {@code val_loss}, {@code val_accuracy}), which the
 * Reprise agent captures as metrics. Deterministic: the same arguments and seed give bit-identical output (single
 * thread, fixed order, StrictMath), which the reproducibility checks rely on.
 *
 * <p>Options (W&B-style {@code --name=value}): learning_rate (0.01), hidden_units (32), hidden_layers (1),
 * epochs (10), batch_size (32), optimizer (sgd | momentum | rmsprop | adam), dropout (0), seed (REPRISE_SEED or 0),
 * data (REPRISE_DATA_DIR/digits.csv.gz, else examples/data/digits/digits.csv.gz), output-dir (REPRISE_OUTPUT_DIR),
 * epoch_delay_ms (0: a pause after each epoch that stretches a trial in time as a larger dataset would, so that demos
 * and tests of early termination can watch a trial while it runs; it changes no value).
 */
public final class DigitsMlp {

    private static final int INPUTS = 64;
    private static final int CLASSES = 10;

    private final Map<String, String> opts;
    private final java.util.SplittableRandom rng;
    private final double lr;
    private final double dropout;
    private final String optimizer;
    private final int[] sizes;
    private final double[][][] w;
    private final double[][] b;
    private final double[][][] mw;
    private final double[][] mb;
    private final double[][][] vw;
    private final double[][] vb;
    private int step;

    private DigitsMlp(Map<String, String> opts, long seed) {
        this.opts = opts;
        this.rng = new java.util.SplittableRandom(seed);
        this.lr = Double.parseDouble(opts.getOrDefault("learning_rate", "0.01"));
        this.dropout = Double.parseDouble(opts.getOrDefault("dropout", "0"));
        this.optimizer = opts.getOrDefault("optimizer", "sgd");
        int hidden = (int) Double.parseDouble(opts.getOrDefault("hidden_units", "32"));
        int layers = (int) Double.parseDouble(opts.getOrDefault("hidden_layers", "1"));
        if (lr <= 0 || hidden < 1 || layers < 1 || dropout < 0 || dropout >= 1
                || !List.of("sgd", "momentum", "rmsprop", "adam").contains(optimizer)) {
            throw new IllegalArgumentException("bad hyperparameters: " + opts);
        }
        sizes = new int[layers + 2];
        sizes[0] = INPUTS;
        for (int i = 1; i <= layers; i++) {
            sizes[i] = hidden;
        }
        sizes[layers + 1] = CLASSES;
        int n = sizes.length - 1;
        w = new double[n][][];
        b = new double[n][];
        mw = new double[n][][];
        mb = new double[n][];
        vw = new double[n][][];
        vb = new double[n][];
        for (int l = 0; l < n; l++) {
            w[l] = new double[sizes[l + 1]][sizes[l]];
            mw[l] = new double[sizes[l + 1]][sizes[l]];
            vw[l] = new double[sizes[l + 1]][sizes[l]];
            b[l] = new double[sizes[l + 1]];
            mb[l] = new double[sizes[l + 1]];
            vb[l] = new double[sizes[l + 1]];
            double scale = StrictMath.sqrt(2.0 / sizes[l]);
            for (double[] row : w[l]) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = gaussian() * scale;
                }
            }
        }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = parse(args);
        long seed = Long.parseLong(opts.getOrDefault("seed", System.getenv().getOrDefault("REPRISE_SEED", "0")));
        List<double[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        load(dataFile(opts), xs, ys);
        int[] order = new int[xs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.SplittableRandom split = new java.util.SplittableRandom(42);
        shuffle(order, split);
        int validation = order.length / 5;
        int[] val = java.util.Arrays.copyOfRange(order, 0, validation);
        int[] train = java.util.Arrays.copyOfRange(order, validation, order.length);

        DigitsMlp model = new DigitsMlp(opts, seed);
        int epochs = (int) Double.parseDouble(opts.getOrDefault("epochs", "10"));
        int batch = (int) Double.parseDouble(opts.getOrDefault("batch_size", "32"));
        long epochDelay = (long) Double.parseDouble(opts.getOrDefault("epoch_delay_ms", "0"));
        double bestAccuracy = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            shuffle(train, model.rng);
            double loss = 0;
            for (int start = 0; start < train.length; start += batch) {
                int end = Math.min(train.length, start + batch);
                loss += model.trainBatch(xs, ys, train, start, end) * (end - start);
            }
            loss /= train.length;
            double valLoss = 0;
            int correct = 0;
            for (int i : val) {
                double[] p = model.forward(xs.get(i), false, null);
                valLoss -= StrictMath.log(Math.max(p[ys.get(i)], 1e-12));
                correct += argmax(p) == ys.get(i) ? 1 : 0;
            }
            double accuracy = (double) correct / val.length;
            bestAccuracy = Math.max(bestAccuracy, accuracy);
            System.out.printf(Locale.ROOT, "{\"epoch\": %d, \"loss\": %.6f, \"val_loss\": %.6f, \"val_accuracy\": %.6f}%n",
                    epoch, loss, valLoss / val.length, accuracy);
            if (!Double.isFinite(loss)) {
                System.err.println("training diverged (loss is not finite); try a smaller learning_rate");
                System.exit(3);
            }
            if (epochDelay > 0 && epoch < epochs) {
                try {
                    Thread.sleep(epochDelay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        writeSummary(opts, bestAccuracy);
    }

    /** One mini-batch of backpropagation; returns the mean cross-entropy of the batch. */
    private double trainBatch(List<double[]> xs, List<Integer> ys, int[] idx, int start, int end) {
        int n = w.length;
        double[][][] gw = new double[n][][];
        double[][] gb = new double[n][];
        for (int l = 0; l < n; l++) {
            gw[l] = new double[sizes[l + 1]][sizes[l]];
            gb[l] = new double[sizes[l + 1]];
        }
        double loss = 0;
        for (int k = start; k < end; k++) {
            double[][] acts = new double[n + 1][];
            double[] p = forward(xs.get(idx[k]), true, acts);
            int y = ys.get(idx[k]);
            loss -= StrictMath.log(Math.max(p[y], 1e-12));
            double[] delta = p.clone();
            delta[y] -= 1;
            for (int l = n - 1; l >= 0; l--) {
                double[] in = acts[l];
                double[] prev = new double[in.length];
                for (int o = 0; o < delta.length; o++) {
                    gb[l][o] += delta[o];
                    for (int i = 0; i < in.length; i++) {
                        gw[l][o][i] += delta[o] * in[i];
                        prev[i] += w[l][o][i] * delta[o];
                    }
                }
                if (l > 0) {
                    for (int i = 0; i < prev.length; i++) {
                        prev[i] = in[i] > 0 ? prev[i] : 0;
                    }
                }
                delta = prev;
            }
        }
        int size = end - start;
        step++;
        for (int l = 0; l < n; l++) {
            for (int o = 0; o < w[l].length; o++) {
                for (int i = 0; i < w[l][o].length; i++) {
                    w[l][o][i] -= update(gw[l][o][i] / size, mw[l][o], vw[l][o], i);
                }
                b[l][o] -= update(gb[l][o] / size, mb[l], vb[l], o);
            }
        }
        return loss / size;
    }

    private double update(double g, double[] m, double[] v, int i) {
        switch (optimizer) {
            case "momentum":
                m[i] = 0.9 * m[i] + g;
                return lr * m[i];
            case "rmsprop":
                v[i] = 0.9 * v[i] + 0.1 * g * g;
                return lr * g / (StrictMath.sqrt(v[i]) + 1e-8);
            case "adam":
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double mh = m[i] / (1 - StrictMath.pow(0.9, step));
                double vh = v[i] / (1 - StrictMath.pow(0.999, step));
                return lr * mh / (StrictMath.sqrt(vh) + 1e-8);
            default:
                return lr * g;
        }
    }

    /** Softmax probabilities; with {@code acts}, records each layer's input (after ReLU and dropout). */
    private double[] forward(double[] x, boolean training, double[][] acts) {
        double[] a = x;
        for (int l = 0; l < w.length; l++) {
            if (acts != null) {
                acts[l] = a;
            }
            double[] z = new double[w[l].length];
            for (int o = 0; o < z.length; o++) {
                double s = b[l][o];
                for (int i = 0; i < a.length; i++) {
                    s += w[l][o][i] * a[i];
                }
                z[o] = s;
            }
            if (l < w.length - 1) {
                for (int o = 0; o < z.length; o++) {
                    z[o] = Math.max(0, z[o]);
                    if (training && dropout > 0) {
                        z[o] = rng.nextDouble() < dropout ? 0 : z[o] / (1 - dropout);
                    }
                }
            }
            a = z;
        }
        double max = a[argmax(a)];
        double sum = 0;
        double[] p = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            p[i] = StrictMath.exp(a[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private double gaussian() {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(1 - u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void shuffle(int[] a, java.util.SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg + "; use --name=value");
            }
            int eq = arg.indexOf('=');
            String key = (eq < 0 ? arg.substring(2) : arg.substring(2, eq)).replace('-', '_');
            opts.put(key, eq < 0 ? "true" : arg.substring(eq + 1));
        }
        return opts;
    }

    private static Path dataFile(Map<String, String> opts) {
        if (opts.containsKey("data")) {
            return Path.of(opts.get("data"));
        }
        String dir = System.getenv("REPRISE_DATA_DIR");
        if (dir != null && Files.exists(Path.of(dir, "digits.csv.gz"))) {
            return Path.of(dir, "digits.csv.gz");
        }
        Path here = Path.of("examples", "data", "digits", "digits.csv.gz");
        if (Files.exists(here)) {
            return here;
        }
        String home = System.getenv("REPRISE_HOME");
        return Path.of(home == null ? "." : home, "examples", "data", "digits", "digits.csv.gz");
    }

    private static void load(Path file, List<double[]> xs, List<Integer> ys) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",");
                double[] x = new double[INPUTS];
                for (int i = 0; i < INPUTS; i++) {
                    x[i] = Double.parseDouble(f[i]) / 16.0;
                }
                xs.add(x);
                ys.add((int) Double.parseDouble(f[INPUTS]));
            }
        }
    }

    private static void writeSummary(Map<String, String> opts, double bestAccuracy) throws IOException {
        String dir = opts.getOrDefault("output_dir", System.getenv("REPRISE_OUTPUT_DIR"));
        if (dir != null) {
            Files.createDirectories(Path.of(dir));
            Files.writeString(Path.of(dir, "summary.json"), String.format(Locale.ROOT,
                    "{\"best_val_accuracy\": %.6f}%n", bestAccuracy));
        }
    }
}
