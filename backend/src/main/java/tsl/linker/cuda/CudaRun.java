package tsl.linker.cuda;

import java.util.IdentityHashMap;
import java.util.Map;

import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The device memory of one call: buffers allocated for intermediate values go back to the
 * device's free lists when the call ends, except those handed to the {@link Residency}.
 * Created and closed under the device lock.
 */
final class CudaRun implements AutoCloseable {
    private static final Elemwise COPY = new Elemwise(ScalarOps.IDENTITY);

    final CudaDevice device;
    private final Map<DeviceArray.Buffer, Boolean> owned = new IdentityHashMap<>();
    private final ElemwiseLauncher copier = new ElemwiseLauncher(COPY);

    CudaRun(CudaDevice device) {
        this.device = device;
    }

    /** A new contiguous device array, freed when the call ends. */
    DeviceArray alloc(DType dtype, int[] shape) {
        long bytes = NDArray.sizeOf(shape) * dtype.byteSize();
        DeviceArray.Buffer b = new DeviceArray.Buffer(device.alloc(bytes), bytes);
        owned.put(b, Boolean.TRUE);
        return new DeviceArray(dtype, shape.clone(), NDArray.contiguousStrides(shape), 0, b);
    }

    DeviceArray upload(NDArray host) {
        NDArray c = host.isContiguous() ? host : host.contiguous();
        DeviceArray d = alloc(c.dtype(), c.shape());
        long bytes = c.size() * c.dtype().byteSize();
        if (bytes > 0) {
            device.upload(d.buffer().ptr, c.segment().asSlice(c.offset() * c.dtype().byteSize(), bytes), bytes);
        }
        return d;
    }

    NDArray download(DeviceArray d) {
        DeviceArray c = contiguous(d);
        NDArray out = NDArray.zeros(c.dtype(), c.shape());
        long bytes = c.size() * c.dtype().byteSize();
        if (bytes > 0) {
            device.download(out.segment(), c.pointer(), bytes);
        }
        return out;
    }

    DeviceArray contiguous(DeviceArray d) {
        if (d.isContiguous()) {
            return d;
        }
        return copier.run(this, new DeviceArray[] {d}, d.dtype(), d.shape());
    }

    /**
     * The device copy of a shared variable's or constant's value, kept between calls: uploaded
     * once per host array (a new array, as set_value makes, is a new upload).
     */
    DeviceArray resident(NDArray host) {
        DeviceArray d = device.residency.lookup(host);
        if (d == null) {
            if (ResidentValue.isPlaceholder(host)) {
                throw new tsl.graph.TslException("RuntimeError", "internal error: the device value of a shared variable is gone");
            }
            d = upload(host);
            owned.remove(d.buffer());
            device.residency.keep(host, d);
        }
        device.residency.pin(d);
        return d;
    }

    /** Hands a call's result to the residency: the next call that reads {@code host} uses {@code d}. */
    void retain(NDArray host, DeviceArray d) {
        if (d.offset() == 0 && d.isContiguous() && owned.remove(d.buffer()) != null) {
            device.residency.keep(host, d);
        }
    }

    /**
     * Hands a call's result to the residency as a value that lives only on the device: the
     * returned placeholder stands for it (see {@link ResidentValue}). A result that is a view,
     * or a buffer this call does not own (a shared value returned unchanged), is copied first,
     * so that the residency owns a whole buffer of its own.
     */
    NDArray keepOnDevice(DeviceArray d) {
        DeviceArray own = d;
        if (d.offset() != 0 || !d.isContiguous() || !owned.containsKey(d.buffer()) || d.size() * d.dtype().byteSize() != d.buffer().bytes) {
            own = copier.run(this, new DeviceArray[] {d}, d.dtype(), d.shape());
        }
        owned.remove(own.buffer());
        NDArray placeholder = ResidentValue.placeholder(own.dtype(), own.shape());
        device.residency.keepOnDevice(placeholder, own, new ResidentValue(device, placeholder));
        return placeholder;
    }

    @Override
    public void close() {
        for (DeviceArray.Buffer b : owned.keySet()) {
            device.free(b.ptr, b.bytes);
        }
        owned.clear();
        device.residency.unpinAll();
    }
}
