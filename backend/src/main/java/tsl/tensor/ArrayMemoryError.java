package tsl.tensor;

/**
 * An array too large to allocate (NumPy's MemoryError). Thrown by {@link NDArray} where a
 * shape's element count or byte size overflows, or the allocation itself fails; the linkers
 * and the language report it as a MemoryError with NumPy's message.
 */
public final class ArrayMemoryError extends RuntimeException {
    public ArrayMemoryError(String message) {
        super(message, null, false, false);
    }
}
