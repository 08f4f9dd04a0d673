package tsl.language.interop;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.InvalidArrayIndexException;
import com.oracle.truffle.api.interop.InvalidBufferOffsetException;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.interop.UnsupportedTypeException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

import tsl.language.TslLanguage;
import tsl.language.runtime.PyTuple;
import tsl.tensor.NDArray;

/**
 * An NDArray as other languages see it: nested array elements (a matrix is an array of rows),
 * buffer elements (the values in C order, native byte order) and the members shape, dtype and
 * ndim. The backend's NDArray knows nothing of Truffle, so the language wraps it at the edge.
 */
@ExportLibrary(InteropLibrary.class)
public final class NDArrayView implements TruffleObject {
    private static final String[] MEMBERS = {"shape", "dtype", "ndim", "size"};

    private final NDArray array;
    private MemorySegment contiguous;

    public NDArrayView(NDArray array) {
        this.array = array;
    }

    public NDArray array() {
        return array;
    }

    @ExportMessage
    boolean hasArrayElements() {
        return array.ndim() > 0;
    }

    @ExportMessage
    long getArraySize() throws UnsupportedMessageException {
        if (array.ndim() == 0) {
            throw UnsupportedMessageException.create();
        }
        return array.dim(0);
    }

    @ExportMessage
    boolean isArrayElementReadable(long index) {
        return array.ndim() > 0 && index >= 0 && index < array.dim(0);
    }

    @ExportMessage
    boolean isArrayElementModifiable(long index) {
        return array.ndim() == 1 && isArrayElementReadable(index);
    }

    @ExportMessage
    boolean isArrayElementInsertable(long index) {
        return false;
    }

    @ExportMessage
    @TruffleBoundary
    Object readArrayElement(long index) throws InvalidArrayIndexException {
        if (!isArrayElementReadable(index)) {
            throw InvalidArrayIndexException.create(index);
        }
        if (array.ndim() > 1) {
            return new NDArrayView(array.get((int) index));
        }
        return scalar(array, index);
    }

    @ExportMessage
    @TruffleBoundary
    void writeArrayElement(long index, Object value, @com.oracle.truffle.api.library.CachedLibrary(limit = "3") InteropLibrary values)
            throws InvalidArrayIndexException, UnsupportedMessageException, UnsupportedTypeException {
        if (!isArrayElementModifiable(index)) {
            throw InvalidArrayIndexException.create(index);
        }
        if (!values.isNumber(value) && !values.isBoolean(value)) {
            throw UnsupportedTypeException.create(new Object[] {value}, "an array element must be a number");
        }
        if (values.isBoolean(value)) {
            array.setLong(index, values.asBoolean(value) ? 1 : 0);
        } else if (array.dtype().isFloat()) {
            array.setDouble(index, values.asDouble(value));
        } else {
            array.setLong(index, values.fitsInLong(value) ? values.asLong(value) : (long) values.asDouble(value));
        }
    }

    /** A 1-d element as the interop primitive its dtype implies. */
    static Object scalar(NDArray a, long linear) {
        if (a.dtype().isBool()) {
            return a.getBoolean(linear);
        }
        if (a.dtype().isFloat()) {
            return a.getDouble(linear);
        }
        return a.getLong(linear);
    }

    // ---------------------------------------------------------------- a 0-d array is a number

    /** The element of a 0-d numeric array (what f(x) returns for a scalar output), else null. */
    private Object scalarValue() {
        return array.ndim() == 0 && !array.dtype().isBool() ? scalar(array, 0) : null;
    }

    @ExportMessage
    boolean isNumber() {
        return scalarValue() != null;
    }

    @ExportMessage
    @TruffleBoundary
    boolean fitsInByte() {
        Object v = scalarValue();
        return v != null && InteropLibrary.getUncached().fitsInByte(v);
    }

    @ExportMessage
    @TruffleBoundary
    byte asByte() throws UnsupportedMessageException {
        Object v = scalarValue();
        if (v == null) {
            throw UnsupportedMessageException.create();
        }
        return InteropLibrary.getUncached().asByte(v);
    }

    @ExportMessage
    @TruffleBoundary
    boolean fitsInShort() {
        Object v = scalarValue();
        return v != null && InteropLibrary.getUncached().fitsInShort(v);
    }

    @ExportMessage
    @TruffleBoundary
    short asShort() throws UnsupportedMessageException {
        Object v = scalarValue();
        if (v == null) {
            throw UnsupportedMessageException.create();
        }
        return InteropLibrary.getUncached().asShort(v);
    }

    @ExportMessage
    @TruffleBoundary
    boolean fitsInInt() {
        Object v = scalarValue();
        return v != null && InteropLibrary.getUncached().fitsInInt(v);
    }

    @ExportMessage
    @TruffleBoundary
    int asInt() throws UnsupportedMessageException {
        Object v = scalarValue();
        if (v == null) {
            throw UnsupportedMessageException.create();
        }
        return InteropLibrary.getUncached().asInt(v);
    }

    @ExportMessage
    @TruffleBoundary
    boolean fitsInLong() {
        Object v = scalarValue();
        return v != null && InteropLibrary.getUncached().fitsInLong(v);
    }

    @ExportMessage
    @TruffleBoundary
    long asLong() throws UnsupportedMessageException {
        Object v = scalarValue();
        if (v == null) {
            throw UnsupportedMessageException.create();
        }
        return InteropLibrary.getUncached().asLong(v);
    }

    @ExportMessage
    @TruffleBoundary
    boolean fitsInFloat() {
        Object v = scalarValue();
        return v != null && InteropLibrary.getUncached().fitsInFloat(v);
    }

    @ExportMessage
    @TruffleBoundary
    float asFloat() throws UnsupportedMessageException {
        Object v = scalarValue();
        if (v == null) {
            throw UnsupportedMessageException.create();
        }
        return InteropLibrary.getUncached().asFloat(v);
    }

    @ExportMessage
    @TruffleBoundary
    boolean fitsInDouble() {
        Object v = scalarValue();
        return v != null && InteropLibrary.getUncached().fitsInDouble(v);
    }

    @ExportMessage
    @TruffleBoundary
    double asDouble() throws UnsupportedMessageException {
        Object v = scalarValue();
        if (v == null) {
            throw UnsupportedMessageException.create();
        }
        return InteropLibrary.getUncached().asDouble(v);
    }

    @ExportMessage
    @TruffleBoundary
    boolean fitsInBigInteger() {
        Object v = scalarValue();
        return v != null && InteropLibrary.getUncached().fitsInBigInteger(v);
    }

    @ExportMessage
    @TruffleBoundary
    java.math.BigInteger asBigInteger() throws UnsupportedMessageException {
        Object v = scalarValue();
        if (v == null) {
            throw UnsupportedMessageException.create();
        }
        return InteropLibrary.getUncached().asBigInteger(v);
    }

    // ---------------------------------------------------------------- buffer elements

    @TruffleBoundary
    private MemorySegment bytes() {
        if (contiguous == null) {
            NDArray c = array.contiguous();
            contiguous = c.segment().asSlice(0, c.size() * c.dtype().byteSize());
        }
        return contiguous;
    }

    @ExportMessage
    boolean hasBufferElements() {
        return true;
    }

    @ExportMessage
    boolean isBufferWritable() {
        return false;
    }

    @ExportMessage
    long getBufferSize() {
        return array.size() * array.dtype().byteSize();
    }

    private void check(long offset, int width) throws InvalidBufferOffsetException {
        if (offset < 0 || offset + width > getBufferSize()) {
            throw InvalidBufferOffsetException.create(offset, width);
        }
    }

    @ExportMessage
    @TruffleBoundary
    void readBuffer(long offset, byte[] dest, int destOffset, int length) throws InvalidBufferOffsetException {
        check(offset, length);
        MemorySegment.copy(bytes(), ValueLayout.JAVA_BYTE, offset, dest, destOffset, length);
    }

    @ExportMessage
    @TruffleBoundary
    byte readBufferByte(long offset) throws InvalidBufferOffsetException {
        check(offset, 1);
        return bytes().get(ValueLayout.JAVA_BYTE, offset);
    }

    @ExportMessage
    @TruffleBoundary
    short readBufferShort(ByteOrder order, long offset) throws InvalidBufferOffsetException {
        check(offset, 2);
        return bytes().get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order), offset);
    }

    @ExportMessage
    @TruffleBoundary
    int readBufferInt(ByteOrder order, long offset) throws InvalidBufferOffsetException {
        check(offset, 4);
        return bytes().get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), offset);
    }

    @ExportMessage
    @TruffleBoundary
    long readBufferLong(ByteOrder order, long offset) throws InvalidBufferOffsetException {
        check(offset, 8);
        return bytes().get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), offset);
    }

    @ExportMessage
    @TruffleBoundary
    float readBufferFloat(ByteOrder order, long offset) throws InvalidBufferOffsetException {
        check(offset, 4);
        return bytes().get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order), offset);
    }

    @ExportMessage
    @TruffleBoundary
    double readBufferDouble(ByteOrder order, long offset) throws InvalidBufferOffsetException {
        check(offset, 8);
        return bytes().get(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order), offset);
    }

    @ExportMessage
    void writeBufferByte(long offset, byte value) throws UnsupportedMessageException {
        throw UnsupportedMessageException.create();   // the buffer may be a contiguous copy: read-only
    }

    @ExportMessage
    void writeBufferShort(ByteOrder order, long offset, short value) throws UnsupportedMessageException {
        throw UnsupportedMessageException.create();   // the buffer may be a contiguous copy: read-only
    }

    @ExportMessage
    void writeBufferInt(ByteOrder order, long offset, int value) throws UnsupportedMessageException {
        throw UnsupportedMessageException.create();   // the buffer may be a contiguous copy: read-only
    }

    @ExportMessage
    void writeBufferLong(ByteOrder order, long offset, long value) throws UnsupportedMessageException {
        throw UnsupportedMessageException.create();   // the buffer may be a contiguous copy: read-only
    }

    @ExportMessage
    void writeBufferFloat(ByteOrder order, long offset, float value) throws UnsupportedMessageException {
        throw UnsupportedMessageException.create();   // the buffer may be a contiguous copy: read-only
    }

    @ExportMessage
    void writeBufferDouble(ByteOrder order, long offset, double value) throws UnsupportedMessageException {
        throw UnsupportedMessageException.create();   // the buffer may be a contiguous copy: read-only
    }

    // ---------------------------------------------------------------- members

    @ExportMessage
    boolean hasMembers() {
        return true;
    }

    @ExportMessage
    Object getMembers(boolean includeInternal) {
        return PyTuple.of((Object[]) MEMBERS);
    }

    @ExportMessage
    boolean isMemberReadable(String member) {
        for (String m : MEMBERS) {
            if (m.equals(member)) {
                return true;
            }
        }
        return false;
    }

    @ExportMessage
    @TruffleBoundary
    Object readMember(String member) throws UnknownIdentifierException {
        return switch (member) {
            case "shape" -> {
                Object[] dims = new Object[array.ndim()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = (long) array.dim(i);
                }
                yield PyTuple.of(dims);
            }
            case "dtype" -> array.dtype().numpyName();
            case "ndim" -> (long) array.ndim();
            case "size" -> array.size();
            default -> throw UnknownIdentifierException.create(member);
        };
    }

    // ---------------------------------------------------------------- display

    @ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @ExportMessage
    Class<? extends TruffleLanguage<?>> getLanguage() {
        return TslLanguage.class;
    }

    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        return array.repr();
    }
}
