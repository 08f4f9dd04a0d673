package tsl.linker.cuda;

import java.lang.foreign.MemorySegment;

import jcuda.CudaException;
import tsl.graph.SharedVariable;
import tsl.graph.TslException;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * A shared variable's value that a call left on the device (an update's result). The
 * variable holds {@link #placeholder}, an array of the value's dtype and shape with no data
 * (reading it fails loudly), which keys the device buffer in the {@link Residency}; the host
 * copy is made on the first host read ({@code get_value}, a function compiled with another
 * linker) and kept. Released when the variable takes another value.
 */
final class ResidentValue implements SharedVariable.DeviceValue {
    private final CudaDevice device;
    private final NDArray placeholder;
    private NDArray host;

    ResidentValue(CudaDevice device, NDArray placeholder) {
        this.device = device;
        this.placeholder = placeholder;
    }

    /** An array of this dtype and shape whose data is not there: it only stands for a device value. */
    static NDArray placeholder(DType dtype, int[] shape) {
        return new NDArray(dtype, shape.clone(), NDArray.contiguousStrides(shape), 0, MemorySegment.ofArray(new byte[0]));
    }

    /** Whether {@code a} is a placeholder rather than a host array with data. */
    static boolean isPlaceholder(NDArray a) {
        return a.size() > 0 && a.segment().byteSize() == 0;
    }

    NDArray placeholder() {
        return placeholder;
    }

    @Override
    public synchronized NDArray toHost() {
        if (host == null) {
            device.enter();
            try {
                DeviceArray d = device.residency.lookup(placeholder);
                if (d == null) {
                    throw new TslException("RuntimeError", "internal error: the device copy of a shared variable's value is gone");
                }
                NDArray out = NDArray.zeros(d.dtype(), d.shape());
                long bytes = d.size() * d.dtype().byteSize();
                if (bytes > 0) {
                    device.download(out.segment(), d.pointer(), bytes);
                }
                host = out;
            } catch (CudaException e) {
                throw new TslException("RuntimeError", "CUDA error while copying a shared variable's value to the host: " + e.getMessage(), null, e);
            } finally {
                device.exit();
            }
        }
        return host;
    }

    @Override
    public void release() {
        device.enter();
        try {
            device.residency.release(placeholder);
        } finally {
            device.exit();
        }
    }
}
