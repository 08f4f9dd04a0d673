package tsl.compile;

import java.util.List;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;

/** Turns an optimized graph into something that runs: jvm (reference), native, cuda. */
public interface Linker {
    /**
     * @param freeVariables the graph's inputs, shared variables and constants, in the order
     *                      their values will be passed to {@link Program#run}
     */
    Program link(FunctionGraph graph, List<Variable> freeVariables);

    /**
     * Like {@link #link(FunctionGraph, List)}, recording per-node times into {@code profile}
     * where the linker runs nodes one at a time; a linker that runs the graph as one program
     * records nothing per node (the Function still times whole calls).
     */
    default Program link(FunctionGraph graph, List<Variable> freeVariables, ProfileStats profile) {
        return link(graph, freeVariables);
    }

    /** A linked graph. Thread-safe: it keeps no state between runs. */
    interface Program {
        /** Computes the graph's outputs from the free variables' values. */
        tsl.tensor.NDArray[] run(tsl.tensor.NDArray[] freeValues);

        /**
         * Whether this program keeps shared variables' values on its device (the cuda linker):
         * it is then given each shared variable's {@link tsl.graph.SharedVariable#storedValue}
         * (a placeholder when the value is on the device, never synchronised to the host), is
         * run through {@link #run(tsl.tensor.NDArray[], boolean[])}, and says through
         * {@link #deviceValue} which results stayed on the device.
         */
        default boolean keepsValuesOnDevice() {
            return false;
        }

        /**
         * Like {@link #run(tsl.tensor.NDArray[])}; the outputs marked in {@code mayStayOnDevice}
         * (values of updates, which the caller stores into shared variables and returns to no
         * one) may come back as placeholders for device values.
         */
        default tsl.tensor.NDArray[] run(tsl.tensor.NDArray[] freeValues, boolean[] mayStayOnDevice) {
            return run(freeValues);
        }

        /** For a result of {@link #run(tsl.tensor.NDArray[], boolean[])}: the device value it stands for, or null for a host array. */
        default tsl.graph.SharedVariable.DeviceValue deviceValue(tsl.tensor.NDArray result) {
            return null;
        }

        /**
         * Whether a run may go through a loop (a scan, a symbolic while, maybe inside an ifelse)
         * that polls {@link Cancellation}, the only way to stop a call from outside before it
         * returns. An embedding that lets its host stop a call (the language's Truffle blocked
         * section) needs to arm the flag only for such a program; a program without loops ends
         * on its own, and a stop request is seen right after it. {@code true} unless the linker
         * knows there is no loop.
         */
        default boolean mayLoop() {
            return true;
        }
    }
}
