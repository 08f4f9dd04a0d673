package tsl.language.nodes;

import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;

import tsl.language.runtime.PyOps;
import tsl.language.runtime.TslError;

/** Assignment targets: names, attributes, items and (starred) tuple unpacking. */
public final class Targets {
    private Targets() {}

    public abstract static class Target extends TslNode {
        public abstract void assign(VirtualFrame frame, Object value);

        /** del target. */
        public void delete(VirtualFrame frame) {
            throw TslError.of("SyntaxError", "cannot delete this target").at(getSourceSection());
        }

        @Override
        public Object execute(VirtualFrame frame) {
            throw new UnsupportedOperationException();
        }
    }

    public static final class Local extends Target {
        private final int slot;

        public Local(int slot) {
            this.slot = slot;
        }

        @Override
        public void assign(VirtualFrame frame, Object value) {
            frame.setObject(slot, value);
        }

        @Override
        public void delete(VirtualFrame frame) {
            frame.setObject(slot, null);
        }
    }

    public static final class Scope extends Target {
        private final int depth;
        private final int slot;

        public Scope(int depth, int slot) {
            this.depth = depth;
            this.slot = slot;
        }

        @Override
        public void assign(VirtualFrame frame, Object value) {
            Scopes.enclosing(frame, depth).setObject(slot, value);
        }
    }

    public static final class Global extends Target {
        private final String module;
        private final String name;

        public Global(String module, String name) {
            this.module = module;
            this.name = name;
        }

        @Override
        public void assign(VirtualFrame frame, Object value) {
            put(value);
        }

        @TruffleBoundary
        private void put(Object value) {
            tsl.language.TslContext.get(this).module(module).attrs.put(name, value);
        }

        @Override
        public void delete(VirtualFrame frame) {
            remove();
        }

        @TruffleBoundary
        private void remove() {
            if (tsl.language.TslContext.get(this).module(module).attrs.remove(name) == null) {
                throw TslError.of("NameError", "name '" + name + "' is not defined").at(getSourceSection());
            }
        }
    }

    public static final class Attr extends Target {
        @Child private ExprNode object;
        private final String name;

        public Attr(ExprNode object, String name) {
            this.object = object;
            this.name = name;
        }

        @Override
        public void assign(VirtualFrame frame, Object value) {
            Object o = object.execute(frame);
            try {
                PyOps.setattr(o, name, value);
            } catch (Throwable t) {
                throw located(t);
            }
        }
    }

    public static final class Item extends Target {
        @Child private ExprNode object;
        @Child private ExprNode index;

        public Item(ExprNode object, ExprNode index) {
            this.object = object;
            this.index = index;
        }

        @Override
        public void assign(VirtualFrame frame, Object value) {
            Object o = object.execute(frame);
            Object k = index.execute(frame);
            try {
                PyOps.setitem(o, k, value);
            } catch (Throwable t) {
                throw located(t);
            }
        }

        @Override
        public void delete(VirtualFrame frame) {
            Object o = object.execute(frame);
            Object k = index.execute(frame);
            try {
                PyOps.delitem(o, k);
            } catch (Throwable t) {
                throw located(t);
            }
        }
    }

    /** {@code a, (b, c), *rest = value}. */
    public static final class Unpack extends Target {
        @Children private final Target[] targets;
        private final int starIndex; // -1 when no starred target

        public Unpack(Target[] targets, int starIndex) {
            this.targets = targets;
            this.starIndex = starIndex;
        }

        @Override
        public void assign(VirtualFrame frame, Object value) {
            Object[] parts = split(value);
            for (int i = 0; i < targets.length; i++) {
                targets[i].assign(frame, parts[i]);
            }
        }

        @TruffleBoundary
        private Object[] split(Object value) {
            List<Object> items;
            try {
                items = PyOps.toList(value);
            } catch (TslError e) {
                throw TslError.of("TypeError", "cannot unpack non-iterable " + PyOps.typeName(value) + " object").at(getSourceSection());
            }
            int n = targets.length;
            if (starIndex < 0) {
                if (items.size() != n) {
                    throw TslError.of("ValueError", items.size() > n ? "too many values to unpack (expected " + n + ")"
                            : "not enough values to unpack (expected " + n + ", got " + items.size() + ")").at(getSourceSection());
                }
                return items.toArray();
            }
            if (items.size() < n - 1) {
                throw TslError.of("ValueError", "not enough values to unpack (expected at least " + (n - 1) + ", got " + items.size() + ")").at(getSourceSection());
            }
            Object[] out = new Object[n];
            int after = n - starIndex - 1;
            for (int i = 0; i < starIndex; i++) {
                out[i] = items.get(i);
            }
            out[starIndex] = new tsl.language.runtime.PyList(items.subList(starIndex, items.size() - after));
            for (int i = 0; i < after; i++) {
                out[starIndex + 1 + i] = items.get(items.size() - after + i);
            }
            return out;
        }

        @Override
        public void delete(VirtualFrame frame) {
            for (Target t : targets) {
                t.delete(frame);
            }
        }
    }
}
