package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.rewrite.RewriteTesting.random;
import static tsl.rewrite.RewriteTesting.var;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.printing.DebugPrint;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * One row per rewrite that has no test of its own elsewhere in this folder: the graph before
 * and after the rewrite alone (structurally, as a formula), and the values unchanged. A
 * last test keeps the catalogue complete: every rewrite the database registers is named by
 * a row here or by a test beside this one.
 */
class RewriteCatalogTest {
    record Row(String rewrite, Supplier<Case> build) {
        @Override
        public String toString() {
            return rewrite;
        }
    }

    record Case(List<Variable> inputs, List<Variable> outputs, String before, String after, NDArray[] values) {}

    private static Case c(List<Variable> in, List<Variable> out, String before, String after, NDArray... values) {
        return new Case(in, out, before, after, values);
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("local_useless_second", () -> {
                    // fill(x, y) is y when y already has the output's (known) shape
                    Variable x = var(DType.FLOAT64, "x", 4);
                    Variable y = var(DType.FLOAT64, "y", 4);
                    return c(List.of(x, y), List.of(T.second(x, y)), "second(x, y)", "y",
                            random(DType.FLOAT64, 1, 4), random(DType.FLOAT64, 2, 4));
                }),
                new Row("local_shape_to_constant", () -> {
                    Variable k = var(DType.FLOAT64, "k", 2, 3);
                    return c(List.of(k), List.of(T.shape(k)), "Shape(k)", "TensorConstant{[2 3]}", random(DType.FLOAT64, 3, 2, 3));
                }),
                new Row("local_shape_i_to_constant", () -> {
                    Variable m = var(DType.FLOAT64, "m", 4, -1);
                    return c(List.of(m), List.of(T.subtensor(T.shape(m), 0), T.subtensor(T.shape(m), 1)),
                            "Subtensor{0}(Shape(m)); Subtensor{1}(Shape(m))", "TensorConstant{4}; Subtensor{1}(Shape(m))",
                            random(DType.FLOAT64, 4, 4, 5));
                }),
                new Row("local_reduced_count_lift", () -> {
                    // the count of exp(x) + y is read from x and y: the sum no longer waits for the loop's result
                    Variable x = var(DType.FLOAT64, "x", -1);
                    Variable y = var(DType.FLOAT64, "y", -1);
                    Variable b = var(DType.FLOAT64, "b", 1);
                    return c(List.of(x, y, b), List.of(T.reducedCount(T.add(T.exp(x), T.mul(y, b)), null)),
                            "ReducedCount[axes=null]((exp(x) + (y * b)))", "ReducedCount[axes=null](x, y)",
                            random(DType.FLOAT64, 5, 6), random(DType.FLOAT64, 6, 6), random(DType.FLOAT64, 7, 1));
                }),
                new Row("local_reduced_count_lift", () -> {
                    // NumPy broadcasting at run time: x turns out to be 1 long, the count is still y's
                    Variable x = var(DType.FLOAT64, "x", -1);
                    Variable y = var(DType.FLOAT64, "y", -1);
                    return c(List.of(x, y), List.of(T.reducedCount(T.sub(x, y), null)),
                            "ReducedCount[axes=null]((x - y))", "ReducedCount[axes=null](x, y)",
                            random(DType.FLOAT64, 8, 1), random(DType.FLOAT64, 9, 5));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void graphBeforeAndAfterAndTheSameValues(Row row) {
        Case k = row.build().get();
        RewriteTesting.check(RewriteTesting.only(row.rewrite()), k.inputs(), k.outputs(), k.before(), k.after(), k.values());
    }

    /** The in-place pass changes no formula, only the op's destroy map: its before and after are debugprints. */
    @Test
    void inplaceElemwise() {
        Variable x = var(DType.FLOAT64, "x", -1);
        Variable out = T.sqrt(T.mul(T.exp(x), 2.0));
        FunctionGraph g = RewriteTesting.graph(List.of(x), out);
        assertEquals("""
                Elemwise{sqrt,no_inplace} [id A] ''
                 |Elemwise{mul,no_inplace} [id B] ''
                   |Elemwise{exp,no_inplace} [id C] ''
                   | |x [id D]
                   |DimShuffle{x} [id E] ''
                     |TensorConstant{2.0} [id F]
                """, DebugPrint.of(g.outputs(), false));
        RewriteTesting.check(RewriteTesting.only("inplace_elemwise"), List.of(x), List.of(out),
                "sqrt((exp(x) * TensorConstant{2.0}))", "sqrt((exp(x) * TensorConstant{2.0}))", random(DType.FLOAT64, 10, 5));
        RewriteTesting.only("inplace_elemwise").optimize(g);
        assertEquals("""
                Elemwise{sqrt,inplace} [id A] ''
                 |Elemwise{mul,inplace} [id B] ''
                   |Elemwise{exp,no_inplace} [id C] ''
                   | |x [id D]
                   |DimShuffle{x} [id E] ''
                     |TensorConstant{2.0} [id F]
                """, DebugPrint.of(g.outputs(), false));
    }

    @Test
    void everyRegisteredRewriteHasATest() throws IOException {
        List<String> covered = new ArrayList<>(rows().map(Row::rewrite).toList());
        covered.add("inplace_elemwise");
        StringBuilder tests = new StringBuilder();
        try (Stream<Path> files = Files.list(Path.of("src/test/java/tsl/rewrite"))) {
            for (Path p : files.filter(f -> !f.getFileName().toString().equals("RewriteCatalogTest.java")).toList()) {
                tests.append(Files.readString(p));
            }
        }
        RewriteDB db = RewriteDB.defaultDB();
        List<String> names = new ArrayList<>(db.query("fast_run", java.util.Set.of(), java.util.Set.of()).rewriteNames());
        names.addAll(db.query("None", java.util.Set.of("fast_compile", "fusion", "inplace", "shape", "canonicalize",
                "stabilize", "specialize"), java.util.Set.of()).rewriteNames());
        assertTrue(names.size() > 20, names.toString());
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            boolean inRow = covered.contains(n);
            boolean named = tests.indexOf("\"" + n + "\"") >= 0 || (n.equals("elemwise_fusion") && tests.indexOf("\"fusion\"") >= 0);
            if (!inRow && !named && !missing.contains(n)) {
                missing.add(n);
            }
        }
        assertEquals(List.of(), missing, "rewrites without a before/after test");
    }
}
