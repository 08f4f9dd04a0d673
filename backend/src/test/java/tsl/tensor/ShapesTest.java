package tsl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShapesTest {
    @Test
    void pythonTupleFormat() {
        assertEquals("()", Shapes.format(new int[] {}));
        assertEquals("(3,)", Shapes.format(new int[] {3}));
        assertEquals("(2, 3)", Shapes.format(new int[] {2, 3}));
    }

    @Test
    void compactFormatAsNumpysErrorMessages() {
        assertEquals("()", Shapes.formatCompact(new int[] {}));
        assertEquals("(4,)", Shapes.formatCompact(new int[] {4}));
        assertEquals("(2,3)", Shapes.formatCompact(new int[] {2, 3}));
        assertEquals("(4)", Shapes.formatCompact(new int[] {-1, 4}));
        assertEquals("(2,newaxis,4)", Shapes.formatCompact(new int[] {2, -1, 4}));
        assertEquals("()", Shapes.formatCompact(new int[] {-1}));
    }

    @Test
    void broadcast() {
        assertArrayEquals(new int[] {2, 3}, Shapes.broadcast(new int[] {2, 1}, new int[] {3}));
        assertArrayEquals(new int[] {4, 2, 3}, Shapes.broadcast(new int[] {4, 1, 1}, new int[] {2, 3}));
        assertArrayEquals(new int[] {0, 3}, Shapes.broadcast(new int[] {0, 1}, new int[] {3}));
        assertArrayEquals(new int[] {5}, Shapes.broadcast(new int[] {}, new int[] {5}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shapes.broadcast(new int[] {3}, new int[] {2, 4}));
        assertEquals("operands could not be broadcast together with shapes (3,) (2,4) ", e.getMessage());
    }

    @Test
    void axis() {
        assertEquals(1, Shapes.axis(-1, 2));
        assertEquals(0, Shapes.axis(0, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shapes.axis(2, 2));
        assertEquals("axis 2 is out of bounds for array of dimension 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shapes.axis(-3, 2));
    }
}
