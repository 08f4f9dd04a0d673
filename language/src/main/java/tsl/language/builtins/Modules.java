package tsl.language.builtins;

import tsl.language.TslContext;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;

/** The built-in modules a script can import. */
public final class Modules {
    private Modules() {}

    /** A fresh built-in module, or null when there is no built-in module of that name. */
    public static PyModule create(String name, TslContext ctx) {
        return switch (name) {
            case "theano", "tsl", "pytensor" -> (PyModule) ctx.builtins().get("__theano__");
            case "theano.tensor", "tsl.tensor", "pytensor.tensor" -> (PyModule) ((PyModule) ctx.builtins().get("__theano__")).attrs.get("tensor");
            case "theano.gradient", "tsl.gradient", "pytensor.gradient" -> (PyModule) ((PyModule) ctx.builtins().get("__theano__")).attrs.get("gradient");
            case "theano.tensor.nnet" -> (PyModule) ((PyModule) ((PyModule) ctx.builtins().get("__theano__")).attrs.get("tensor")).attrs.get("nnet");
            case "theano.sandbox", "pytensor.sandbox" -> (PyModule) theano(ctx).attrs.get("sandbox");
            case "theano.sandbox.rng_mrg", "pytensor.sandbox.rng_mrg" -> (PyModule) ((PyModule) theano(ctx).attrs.get("sandbox")).attrs.get("rng_mrg");
            case "theano.tensor.shared_randomstreams", "pytensor.tensor.shared_randomstreams" ->
                    (PyModule) ((PyModule) theano(ctx).attrs.get("tensor")).attrs.get("shared_randomstreams");
            case "theano.tensor.extra_ops", "pytensor.tensor.extra_ops" -> (PyModule) ((PyModule) theano(ctx).attrs.get("tensor")).attrs.get("extra_ops");
            case "theano.tensor.basic", "pytensor.tensor.basic" -> (PyModule) ((PyModule) theano(ctx).attrs.get("tensor")).attrs.get("basic");
            case "theano.tensor.special", "pytensor.tensor.special" -> (PyModule) ((PyModule) theano(ctx).attrs.get("tensor")).attrs.get("special");
            case "theano.tensor.nnet.conv" -> (PyModule) ((PyModule) ((PyModule) theano(ctx).attrs.get("tensor")).attrs.get("nnet")).attrs.get("conv");
            case "theano.tensor.signal" -> (PyModule) ((PyModule) theano(ctx).attrs.get("tensor")).attrs.get("signal");
            case "theano.tensor.signal.pool", "theano.tensor.signal.downsample" ->
                    (PyModule) ((PyModule) ((PyModule) theano(ctx).attrs.get("tensor")).attrs.get("signal")).attrs.get(name.substring(name.lastIndexOf('.') + 1));
            case "numpy" -> (PyModule) ctx.builtins().get("__numpy__");
            case "numpy.random" -> (PyModule) ((PyModule) ctx.builtins().get("__numpy__")).attrs.get("random");
            case "random" -> RandomModule.create();
            case "time" -> time();
            case "theano.printing", "tsl.printing", "pytensor.printing" -> (PyModule) ((PyModule) ctx.builtins().get("__theano__")).attrs.get("printing");
            case "math" -> MathModule.create();
            case "sys" -> SysModule.create(ctx);
            default -> ControlModule.module(name, (PyModule) ctx.builtins().get("__theano__"));
        };
    }

    private static PyModule theano(TslContext ctx) {
        return (PyModule) ctx.builtins().get("__theano__");
    }

    private static PyModule time() {
        PyModule m = new PyModule("time");
        long origin = System.nanoTime();
        m.fn("time", (a, k) -> System.currentTimeMillis() / 1000.0);
        m.fn("perf_counter", (a, k) -> (System.nanoTime() - origin) / 1e9);
        // Python 3 removed time.clock; old Theano programs still call it
        m.fn("clock", (a, k) -> (System.nanoTime() - origin) / 1e9);
        // CPU seconds of the calling thread (benchmarks on a shared machine time work with it)
        m.fn("thread_time", (a, k) -> java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9);
        m.fn("sleep", (a, k) -> {
            try {
                Thread.sleep((long) (tsl.language.runtime.Arith.toDouble(a.get(0)) * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return PyNone.NONE;
        });
        return m;
    }
}
