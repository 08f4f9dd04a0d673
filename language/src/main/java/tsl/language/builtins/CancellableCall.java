package tsl.language.builtins;

import java.util.function.Supplier;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.TruffleSafepoint;

import tsl.compile.Cancellation;
import tsl.tensor.NDArray;

/**
 * Calls a compiled function so that the embedding can stop it. A loop inside the function
 * (a symbolic while, a scan with until) may never end, and generated C never comes back to a
 * Truffle safepoint; so the call is a Truffle "blocked" section whose interrupter raises the
 * backend's cancellation flag, which the loops poll. When Context.cancel / close(true) /
 * interrupt asks, the call ends with {@link Cancellation.Cancelled}, turned here into the
 * InterruptedException Truffle expects, and Truffle then ends the evaluation as the host asked
 * (no update of a shared variable is stored by a cancelled call). A cancellation that did not
 * come from Truffle (the host interrupted the thread) surfaces as Python's KeyboardInterrupt.
 *
 * <p>Only for a function whose program {@linkplain tsl.compile.Function#mayLoop may loop}: the
 * section costs two lock round trips and a thread-state change per call (about a fifth of a
 * scalar call), and a function without loops, which polls nothing, ends by itself; Truffle then
 * answers the request at the script's next safepoint.
 */
final class CancellableCall {
    private CancellableCall() {}

    @TruffleBoundary
    static NDArray[] run(Supplier<NDArray[]> call) {
        FlagInterrupter interrupter = new FlagInterrupter(Cancellation.current());
        return TruffleSafepoint.getCurrent().setBlockedFunction(null, interrupter, c -> {
            try {
                return c.get();
            } catch (Cancellation.Cancelled e) {
                if (interrupter.fired) {
                    throw new InterruptedException();   // Truffle runs the pending action (the cancel), or calls again
                }
                throw e;
            }
        }, call, null, null);
    }

    private static final class FlagInterrupter implements TruffleSafepoint.Interrupter {
        private final Cancellation flag;
        volatile boolean fired;

        FlagInterrupter(Cancellation flag) {
            this.flag = flag;
        }

        @Override
        public void interrupt(Thread thread) {
            fired = true;
            flag.cancel();
        }

        @Override
        public void resetInterrupted() {
            fired = false;
            flag.clear();
        }
    }
}
