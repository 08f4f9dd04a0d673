package tsl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tsl.ops.OpTesting.arr;
import static tsl.ops.OpTesting.assertArray;
import static tsl.ops.OpTesting.checkGrad;
import static tsl.ops.OpTesting.run;
import static tsl.ops.OpTesting.shape;
import static tsl.ops.OpTesting.var;
import static tsl.ops.OpTesting.vec;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Elementwise scalar ops against NumPy/SciPy values (float64 and float32), their dtypes, broadcasting and gradients. */
class ScalarOpsTest {

    record UnaryCase(String name, Function<Object, Variable> op, double[] x64, double[] e64, double[] x32, double[] e32) {}

    static final List<UnaryCase> UNARY = List.of(
            new UnaryCase("exp2", T::exp2, new double[] {-2.5, -0.5, 0.3, 1.5, 2.5, 4.0},
                    new double[] {0.1767766952966369, 0.7071067811865476, 1.2311444133449163, 2.8284271247461903, 5.656854249492381, 16.0},
                    new double[] {-2.5, -0.5, 0.30000001192092896, 1.5, 2.5, 4.0},
                    new double[] {0.1767766922712326, 0.7071067690849304, 1.2311444282531738, 2.8284270763397217, 5.656854152679443, 16.0}),
            new UnaryCase("expm1", T::expm1, new double[] {-1e-10, -0.5, 0.3, 1.5, 20.0},
                    new double[] {-9.999999999500001e-11, -0.3934693402873666, 0.3498588075760031, 3.481689070338065, 485165194.4097903},
                    new double[] {-1.000000013351432e-10, -0.5, 0.30000001192092896, 1.5, 20.0},
                    new double[] {-1.000000013351432e-10, -0.39346933364868164, 0.349858820438385, 3.481688976287842, 485165184.0}),
            new UnaryCase("log2", T::log2, new double[] {0.25, 0.5, 1.0, 2.0, 8.0, 10.0},
                    new double[] {-2.0, -1.0, 0.0, 1.0, 3.0, 3.321928094887362},
                    new double[] {0.25, 0.5, 1.0, 2.0, 8.0, 10.0},
                    new double[] {-2.0, -1.0, 0.0, 1.0, 3.0, 3.321928024291992}),
            new UnaryCase("log10", T::log10, new double[] {0.25, 0.5, 1.0, 2.0, 8.0, 10.0},
                    new double[] {-0.6020599913279624, -0.3010299956639812, 0.0, 0.3010299956639812, 0.9030899869919435, 1.0},
                    new double[] {0.25, 0.5, 1.0, 2.0, 8.0, 10.0},
                    new double[] {-0.6020600199699402, -0.3010300099849701, 0.0, 0.3010300099849701, 0.9030900001525879, 1.0}),
            new UnaryCase("log1p", T::log1p, new double[] {-0.5, 1e-12, 0.3, 2.0, 100.0},
                    new double[] {-0.6931471805599453, 9.999999999995e-13, 0.26236426446749106, 1.0986122886681096, 4.61512051684126},
                    new double[] {-0.5, 9.999999960041972e-13, 0.30000001192092896, 2.0, 100.0},
                    new double[] {-0.6931471824645996, 9.999999960041972e-13, 0.2623642683029175, 1.0986123085021973, 4.6151204109191895}),
            new UnaryCase("sin", T::sin, new double[] {-2.5, -0.5, 0.3, 1.5, 2.5, 4.0},
                    new double[] {-0.5984721441039565, -0.479425538604203, 0.29552020666133955, 0.9974949866040544, 0.5984721441039565, -0.7568024953079282},
                    new double[] {-2.5, -0.5, 0.30000001192092896, 1.5, 2.5, 4.0},
                    new double[] {-0.5984721183776855, -0.4794255495071411, 0.29552021622657776, 0.9974949955940247, 0.5984721183776855, -0.756802499294281}),
            new UnaryCase("cos", T::cos, new double[] {-2.5, -0.5, 0.3, 1.5, 2.5, 4.0},
                    new double[] {-0.8011436155469337, 0.8775825618903728, 0.955336489125606, 0.0707372016677029, -0.8011436155469337, -0.6536436208636119},
                    new double[] {-2.5, -0.5, 0.30000001192092896, 1.5, 2.5, 4.0},
                    new double[] {-0.8011435866355896, 0.8775825500488281, 0.9553365111351013, 0.07073719799518585, -0.8011435866355896, -0.6536436080932617}),
            new UnaryCase("tan", T::tan, new double[] {-2.5, -0.5, 0.3, 1.5, 2.5, 4.0},
                    new double[] {0.7470222972386603, -0.5463024898437905, 0.30933624960962325, 14.101419947171719, -0.7470222972386603, 1.1578212823495775},
                    new double[] {-2.5, -0.5, 0.30000001192092896, 1.5, 2.5, 4.0},
                    new double[] {0.747022271156311, -0.5463024973869324, 0.30933627486228943, 14.101420402526855, -0.747022271156311, 1.1578212976455688}),
            new UnaryCase("arcsin", T::arcsin, new double[] {-0.9, -0.5, 0.0, 0.3, 0.75},
                    new double[] {-1.1197695149986342, -0.5235987755982989, 0.0, 0.3046926540153975, 0.848062078981481},
                    new double[] {-0.8999999761581421, -0.5, 0.0, 0.30000001192092896, 0.75},
                    new double[] {-1.1197694540023804, -0.5235987901687622, 0.0, 0.30469265580177307, 0.8480620980262756}),
            new UnaryCase("arccos", T::arccos, new double[] {-0.9, -0.5, 0.0, 0.3, 0.75},
                    new double[] {2.6905658417935308, 2.0943951023931957, 1.5707963267948966, 1.2661036727794992, 0.7227342478134157},
                    new double[] {-0.8999999761581421, -0.5, 0.0, 0.30000001192092896, 0.75},
                    new double[] {2.690565824508667, 2.094395160675049, 1.5707963705062866, 1.2661036252975464, 0.722734272480011}),
            new UnaryCase("arctan", T::arctan, new double[] {-2.5, -0.5, 0.3, 1.5, 2.5, 4.0},
                    new double[] {-1.1902899496825317, -0.4636476090008061, 0.2914567944778671, 0.982793723247329, 1.1902899496825317, 1.3258176636680326},
                    new double[] {-2.5, -0.5, 0.30000001192092896, 1.5, 2.5, 4.0},
                    new double[] {-1.1902899742126465, -0.46364760398864746, 0.29145681858062744, 0.9827937483787537, 1.1902899742126465, 1.3258177042007446}),
            new UnaryCase("sinh", T::sinh, new double[] {-2.5, -0.5, 0.3, 1.5, 2.5, 4.0},
                    new double[] {-6.0502044810397875, -0.5210953054937474, 0.3045202934471426, 2.1292794550948173, 6.0502044810397875, 27.28991719712775},
                    new double[] {-2.5, -0.5, 0.30000001192092896, 1.5, 2.5, 4.0},
                    new double[] {-6.050204277038574, -0.5210952758789062, 0.30452030897140503, 2.129279375076294, 6.050204277038574, 27.2899169921875}),
            new UnaryCase("cosh", T::cosh, new double[] {-2.5, -0.5, 0.3, 1.5, 2.5, 4.0},
                    new double[] {6.132289479663686, 1.1276259652063807, 1.0453385141288605, 2.352409615243247, 6.132289479663686, 27.308232836016487},
                    new double[] {-2.5, -0.5, 0.30000001192092896, 1.5, 2.5, 4.0},
                    new double[] {6.132289409637451, 1.1276259422302246, 1.04533851146698, 2.352409601211548, 6.132289409637451, 27.3082332611084}),
            new UnaryCase("arcsinh", T::arcsinh, new double[] {-2.5, -0.5, 0.3, 1.5, 2.5, 4.0, 1e-09, 10000000000.0},
                    new double[] {-1.6472311463710958, -0.48121182505960347, 0.29567304756342244, 1.1947632172871094, 1.6472311463710958, 2.0947125472611012, 1e-09, 23.7189981105004},
                    new double[] {-2.5, -0.5, 0.30000001192092896, 1.5, 2.5, 4.0, 9.999999717180685e-10, 10000000000.0},
                    new double[] {-1.647231101989746, -0.4812118113040924, 0.29567307233810425, 1.19476318359375, 1.647231101989746, 2.094712495803833, 9.999999717180685e-10, 23.718997955322266}),
            new UnaryCase("arccosh", T::arccosh, new double[] {1.0, 1.0000001, 1.5, 2.0, 10.0, 10000000000.0},
                    new double[] {0.0, 0.0004472135919037347, 0.9624236501192069, 1.3169578969248166, 2.993222846126381, 23.7189981105004},
                    new double[] {1.0, 1.0000001192092896, 1.5, 2.0, 10.0, 10000000000.0},
                    new double[] {0.0, 0.00048828125, 0.9624236226081848, 1.316957950592041, 2.993222951889038, 23.718997955322266}),
            new UnaryCase("arctanh", T::arctanh, new double[] {-0.9, -0.5, 0.0, 0.3, 0.75, 1e-09},
                    new double[] {-1.4722194895832204, -0.5493061443340548, 0.0, 0.30951960420311175, 0.9729550745276566, 1e-09},
                    new double[] {-0.8999999761581421, -0.5, 0.0, 0.30000001192092896, 0.75, 9.999999717180685e-10},
                    new double[] {-1.4722193479537964, -0.5493061542510986, 0.0, 0.30951961874961853, 0.972955048084259, 9.999999717180685e-10}),
            new UnaryCase("erf", T::erf, new double[] {-3.0, -1.0, -0.1, 0.0, 1e-05, 0.1, 0.5, 1.0, 1.9, 2.1, 3.0, 5.0},
                    new double[] {-0.9999779095030014, -0.8427007929497148, -0.1124629160182849, 0.0, 1.1283791670579e-05, 0.1124629160182849, 0.5204998778130465, 0.8427007929497148, 0.9927904292352575, 0.997020533343667, 0.9999779095030014, 0.9999999999984626},
                    new double[] {-3.0, -1.0, -0.10000000149011612, 0.0, 9.999999747378752e-06, 0.10000000149011612, 0.5, 1.0, 1.899999976158142, 2.0999999046325684, 3.0, 5.0},
                    new double[] {-0.9999778866767883, -0.8427007794380188, -0.11246291548013687, 0.0, 1.1283791536698118e-05, 0.11246291548013687, 0.5204998850822449, 0.8427007794380188, 0.9927904009819031, 0.9970205426216125, 0.9999778866767883, 1.0}),
            new UnaryCase("erfc", T::erfc, new double[] {-3.0, -1.0, -0.1, 0.0, 0.1, 0.5, 0.6, 1.0, 1.9, 2.1, 3.0, 5.0, 10.0, 26.0},
                    new double[] {1.9999779095030015, 1.8427007929497148, 1.1124629160182848, 1.0, 0.8875370839817152, 0.4795001221869535, 0.3961439091520742, 0.15729920705028516, 0.007209570764742531, 0.0029794666563329845, 2.2090496998585445e-05, 1.5374597944280347e-12, 2.0884875837625446e-45, 5.663192408856145e-296},
                    new double[] {-3.0, -1.0, -0.10000000149011612, 0.0, 0.10000000149011612, 0.5, 0.6000000238418579, 1.0, 1.899999976158142, 2.0999999046325684, 3.0, 5.0, 10.0, 26.0},
                    new double[] {1.999977946281433, 1.8427008390426636, 1.1124628782272339, 1.0, 0.8875370621681213, 0.4795001149177551, 0.3961438834667206, 0.15729920566082, 0.007209571544080973, 0.0029794678557664156, 2.2090496713644825e-05, 1.5374598295869735e-12, 1.401298464324817e-45, 0.0}),
            new UnaryCase("gammaln", T::gammaln, new double[] {0.1, 0.5, 0.9, 1.0, 1.1, 1.5, 1.9, 2.0, 2.2, 2.6, 3.5, 10.0, 171.5, 100000000.0, -0.5, -2.5},
                    new double[] {2.252712651734206, 0.5723649429247, 0.06637623973474327, 0.0, -0.049872441259839716, -0.12078223763524526, -0.0389842759230834, 0.0, 0.09694746679063886, 0.35741186354897986, 1.2009736023470743, 12.801827480081469, 709.1431630309283, 1742068066.1038349, 1.2655121234846454, -0.05624371649767401},
                    new double[] {0.10000000149011612, 0.5, 0.8999999761581421, 1.0, 1.100000023841858, 1.5, 1.899999976158142, 2.0, 2.200000047683716, 2.5999999046325684, 3.5, 10.0, 171.5, 100000000.0, -0.5, -2.5},
                    new double[] {2.2527127265930176, 0.5723649263381958, 0.06637626141309738, 0.0, -0.04987245053052902, -0.12078224122524261, -0.038984283804893494, 0.0, 0.09694749116897583, 0.35741180181503296, 1.200973629951477, 12.801827430725098, 709.1431884765625, 1742068096.0, 1.2655121088027954, -0.056243717670440674}),
            new UnaryCase("psi", T::psi, new double[] {0.1, 0.5, 1.0, 1.5, 2.2, 10.0, 30.0, -0.5, -2.5},
                    new double[] {-10.423754940411076, -1.9635100260214235, -0.5772156649015329, 0.03648997397857652, 0.5442934367411452, 2.251752589066721, 3.384438132685525, 0.03648997397857651, 1.1031566406452433},
                    new double[] {0.10000000149011612, 0.5, 1.0, 1.5, 2.200000047683716, 10.0, 30.0, -0.5, -2.5},
                    new double[] {-10.423754692077637, -1.9635100364685059, -0.5772156715393066, 0.036489974707365036, 0.5442934632301331, 2.2517526149749756, 3.3844380378723145, 0.036489974707365036, 1.1031566858291626}),
            new UnaryCase("softplus", T::softplus, new double[] {-1000.0, -30.0, -1.0, 0.0, 1.0, 30.0, 1000.0},
                    new double[] {0.0, 9.357622968839737e-14, 0.31326168751822286, 0.6931471805599453, 1.3132616875182228, 30.000000000000092, 1000.0},
                    new double[] {-1000.0, -30.0, -1.0, 0.0, 1.0, 30.0, 1000.0},
                    new double[] {0.0, 9.357622912219837e-14, 0.3132616877555847, 0.6931471824645996, 1.31326162815094, 30.0, 1000.0}),
            new UnaryCase("relu", T::relu, new double[] {-2.0, -0.0, 0.0, 0.5, 3.0},
                    new double[] {0.0, 0.0, 0.0, 0.5, 3.0},
                    new double[] {-2.0, -0.0, 0.0, 0.5, 3.0},
                    new double[] {0.0, 0.0, 0.0, 0.5, 3.0}),
            new UnaryCase("floor", T::floor, new double[] {-2.5, -0.5, 0.0, 0.5, 2.7},
                    new double[] {-3.0, -1.0, 0.0, 0.0, 2.0},
                    new double[] {-2.5, -0.5, 0.0, 0.5, 2.700000047683716},
                    new double[] {-3.0, -1.0, 0.0, 0.0, 2.0}),
            new UnaryCase("ceil", T::ceil, new double[] {-2.5, -0.5, 0.0, 0.5, 2.7},
                    new double[] {-2.0, -0.0, 0.0, 1.0, 3.0},
                    new double[] {-2.5, -0.5, 0.0, 0.5, 2.700000047683716},
                    new double[] {-2.0, -0.0, 0.0, 1.0, 3.0}),
            new UnaryCase("round", T::round, new double[] {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4999999999999999, 3.7, -3.7},
                    new double[] {-2.0, -2.0, -0.0, 0.0, 2.0, 2.0, 0.0, 4.0, -4.0},
                    new double[] {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.5, 3.700000047683716, -3.700000047683716},
                    new double[] {-2.0, -2.0, -0.0, 0.0, 2.0, 2.0, 0.0, 4.0, -4.0})
    );

    @TestFactory
    Stream<DynamicTest> unaryValuesMatchNumpy() {
        return UNARY.stream().flatMap(c -> Stream.of(
                DynamicTest.dynamicTest(c.name() + " float64", () -> {
                    Variable x = var(DType.FLOAT64, 1, "x");
                    NDArray out = run(List.of(x), c.op().apply(x), vec(DType.FLOAT64, c.x64()));
                    assertArray(out, DType.FLOAT64, shape(c.x64().length), c.e64(), 1e-12);
                }),
                DynamicTest.dynamicTest(c.name() + " float32", () -> {
                    Variable x = var(DType.FLOAT32, 1, "x");
                    NDArray out = run(List.of(x), c.op().apply(x), vec(DType.FLOAT32, c.x32()));
                    assertArray(out, DType.FLOAT32, shape(c.x32().length), c.e32(), 2e-6);
                })));
    }

    @TestFactory
    Stream<DynamicTest> unaryGradientsMatchFiniteDifferences() {
        return UNARY.stream()
                .filter(c -> !List.of("floor", "ceil", "round", "psi").contains(c.name()))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    double[] pts = c.name().equals("relu") ? new double[] {-2.0, 0.5, 3.0}
                            : c.name().equals("gammaln") ? new double[] {0.5, 1.5, 10.0}
                            : c.name().equals("softplus") ? new double[] {-30.0, -1.0, 0.0, 1.0, 30.0}
                            : c.name().equals("arccosh") ? new double[] {1.5, 2.0, 10.0}
                            : c.name().startsWith("log") ? new double[] {0.25, 2.0, 10.0}
                            : c.name().startsWith("arc") && !c.name().equals("arctan") && !c.name().equals("arcsinh")
                                    ? new double[] {-0.5, 0.0, 0.3}
                                    : new double[] {-1.5, -0.5, 0.3, 1.2};
                    checkGrad(in -> c.op().apply(in[0]), vec(DType.FLOAT64, pts));
                }));
    }

    @Test
    void roundingHasZeroGradient() {
        checkGrad(in -> T.add(T.floor(in[0]), T.add(T.ceil(in[0]), T.round(in[0]))), vec(DType.FLOAT64, 0.3, 1.7, -2.2));
    }

    @Test
    void softplusGradientIsFiniteAtLargeMagnitudes() {
        checkGrad(in -> T.softplus(in[0]), vec(DType.FLOAT64, -1000, 1000));
        checkGrad(in -> T.relu(in[0]), vec(DType.FLOAT64, -1000, 1000));
    }

    @Test
    void roundHalfAwayFromZero() {
        Variable x = var(DType.FLOAT64, 1, "x");
        assertArray(run(List.of(x), T.round(x, "half_away_from_zero"), vec(DType.FLOAT64, -2.5, -0.5, 0.5, 1.5, 2.4)),
                DType.FLOAT64, shape(5), -3, -1, 1, 2, 2);
        assertThrows(TslException.class, () -> T.round(x, "up"));
    }

    @Test
    void nanAndInfinityTests() {
        Variable x = var(DType.FLOAT32, 1, "x");
        NDArray in = vec(DType.FLOAT32, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0);
        assertArray(run(List.of(x), T.isnan(x), in), DType.BOOL, shape(4), 1, 0, 0, 0);
        assertArray(run(List.of(x), T.isinf(x), in), DType.BOOL, shape(4), 0, 1, 1, 0);
        Variable i = var(DType.INT32, 1, "i");
        assertArray(run(List.of(i), T.isnan(i), OpTesting.ivec(3, 4).astype(DType.INT32)), DType.BOOL, shape(2), 0, 0);
    }

    @Test
    void bitwiseAndLogicalOps() {
        Variable a = var(DType.INT8, 1, "a");
        Variable b = var(DType.INT8, 1, "b");
        NDArray av = vec(DType.INT8, 5, -3, 0, 127);
        NDArray bv = vec(DType.INT8, 3, 6, -1, 1);
        // np.bitwise_xor / np.invert on int8
        assertArray(run(List.of(a, b), T.xor(a, b), av, bv), DType.INT8, shape(4), 6, -5, -1, 126);
        assertArray(run(List.of(a), T.invert(a), av), DType.INT8, shape(4), -6, 2, -1, -128);
        Variable p = var(DType.BOOL, 1, "p");
        Variable q = var(DType.BOOL, 1, "q");
        NDArray pv = vec(DType.BOOL, 1, 1, 0, 0);
        NDArray qv = vec(DType.BOOL, 1, 0, 1, 0);
        assertArray(run(List.of(p, q), T.xor(p, q), pv, qv), DType.BOOL, shape(4), 0, 1, 1, 0);
        assertArray(run(List.of(p), T.invert(p), pv), DType.BOOL, shape(4), 0, 0, 1, 1);
    }

    @Test
    void bitwiseOpsRejectFloats() {
        Variable x = var(DType.FLOAT64, 1, "x");
        TslException e = assertThrows(TslException.class, () -> T.xor(x, x));
        assertEquals("TypeError", e.pythonType());
        assertThrows(TslException.class, () -> T.invert(x));
    }

    @Test
    void clipBroadcastsAndKeepsNan() {
        Variable x = var(DType.FLOAT64, 2, "x");
        Variable lo = var(DType.FLOAT64, shape(1, 3), "lo");
        NDArray xv = arr(DType.FLOAT64, shape(2, 3), -1, 0.5, 7, Double.NaN, 2, 3);
        NDArray lov = arr(DType.FLOAT64, shape(1, 3), 0, 1, 2);
        // np.clip(x, lo, 2.5)
        assertArray(run(List.of(x, lo), T.clip(x, lo, 2.5), xv, lov), DType.FLOAT64, shape(2, 3),
                0, 1, 2.5, Double.NaN, 2, 2.5);
        Variable f = var(DType.FLOAT32, 1, "f");
        assertArray(run(List.of(f), T.clip(f, 0, 1), vec(DType.FLOAT32, -0.5, 0.25, 3)), DType.FLOAT32, shape(3), 0, 0.25, 1);
        Variable i = var(DType.INT32, 1, "i");
        assertArray(run(List.of(i), T.clip(i, 0, 10), vec(DType.INT32, -5, 5, 50)), DType.INT32, shape(3), 0, 5, 10);
    }

    @Test
    void clipGradientOnlyInside() {
        checkGrad(in -> T.clip(in[0], in[1], in[2]), vec(DType.FLOAT64, -1, 0.5, 3, 1.5),
                vec(DType.FLOAT64, 0, 0, 0, 0), vec(DType.FLOAT64, 2, 2, 2, 2));
        Variable x = var(DType.FLOAT64, 1, "x");
        Variable g = tsl.grad.Gradient.grad(T.sum(T.clip(x, 0, 1)), List.of(x), null, "raise").get(0);
        assertArray(run(List.of(x), g, vec(DType.FLOAT64, -1, 0.5, 2)), DType.FLOAT64, shape(3), 0, 1, 0);
    }

    @Test
    void clipRejectsMismatchedStaticShapes() {
        Variable x = var(DType.FLOAT64, shape(2, 3), "x");
        Variable lo = var(DType.FLOAT64, shape(2, 4), "lo");
        TslException e = assertThrows(TslException.class, () -> T.clip(x, lo, 1.0));
        assertEquals("ValueError", e.pythonType());
    }

    @Test
    void outputDtypesFollowTheano() {
        assertEquals(DType.FLOAT32, T.exp(var(DType.INT8, 1, "a")).dtype());
        assertEquals(DType.FLOAT32, T.sin(var(DType.INT16, 1, "a")).dtype());
        assertEquals(DType.FLOAT64, T.exp(var(DType.INT32, 1, "a")).dtype());
        assertEquals(DType.FLOAT64, T.floor(var(DType.INT64, 1, "a")).dtype());
        assertEquals(DType.FLOAT32, T.trueDiv(var(DType.INT8, 1, "a"), var(DType.INT16, 1, "b")).dtype());
        assertEquals(DType.FLOAT64, T.trueDiv(var(DType.INT32, 1, "a"), var(DType.INT32, 1, "b")).dtype());
        assertEquals(DType.FLOAT64, T.trueDiv(var(DType.INT64, 1, "a"), 2).dtype());
        assertEquals(DType.FLOAT32, T.trueDiv(var(DType.FLOAT32, 1, "a"), 2).dtype());
        assertEquals(DType.BOOL, T.lt(var(DType.FLOAT64, 1, "a"), 0).dtype());
        assertEquals(DType.BOOL, T.eq(var(DType.INT32, 1, "a"), var(DType.INT32, 1, "b")).dtype());
        assertEquals(DType.INT32, T.relu(var(DType.INT32, 1, "a")).dtype());
        assertEquals(DType.FLOAT32, T.softplus(var(DType.FLOAT32, 1, "a")).dtype());
    }

    @Test
    void intDivisionValues() {
        Variable a = var(DType.INT32, 1, "a");
        Variable b = var(DType.INT32, 1, "b");
        NDArray av = vec(DType.INT32, 7, -7, 7, -7);
        NDArray bv = vec(DType.INT32, 2, 2, -2, -2);
        // np.true_divide, np.floor_divide, np.mod on int32
        assertArray(run(List.of(a, b), T.trueDiv(a, b), av, bv), DType.FLOAT64, shape(4), 3.5, -3.5, -3.5, 3.5);
        assertArray(run(List.of(a, b), T.intDiv(a, b), av, bv), DType.INT32, shape(4), 3, -4, -4, 3);
        assertArray(run(List.of(a, b), T.mod(a, b), av, bv), DType.INT32, shape(4), 1, 1, -1, -1);
    }

    @Test
    void switchDtypeIsTheUpcastOfTheBranchesOnly() {
        Variable c = var(DType.FLOAT64, 1, "c");
        Variable a = var(DType.INT8, 1, "a");
        Variable b = var(DType.INT16, 1, "b");
        Variable s = T.switchOp(c, a, b);
        assertEquals(DType.INT16, s.dtype());
        assertEquals("Elemwise{switch}", s.owner().op().toString());
        assertArray(run(List.of(c, a, b), s, vec(DType.FLOAT64, 0.5, 0, Double.NaN), vec(DType.INT8, 1, 2, 3),
                vec(DType.INT16, 10, 20, 30)), DType.INT16, shape(3), 1, 20, 3);
        Variable f = var(DType.FLOAT32, shape(1, 3), "f");
        Variable m = var(DType.BOOL, 2, "m");
        Variable s2 = T.switchOp(m, f, 0);
        assertEquals(DType.FLOAT32, s2.dtype());
        assertArray(run(List.of(m, f), s2, arr(DType.BOOL, shape(2, 3), 1, 0, 1, 0, 1, 0), arr(DType.FLOAT32, shape(1, 3), 1, 2, 3)),
                DType.FLOAT32, shape(2, 3), 1, 0, 3, 0, 2, 0);
    }

    @Test
    void switchGradientGoesToTheTakenBranch() {
        checkGrad(in -> T.switchOp(T.gt(in[0], 0), T.sqr(in[0]), T.mul(in[1], in[0])),
                vec(DType.FLOAT64, -1, 2, 0.5), vec(DType.FLOAT64, 3, 4, 5));
    }

    @Test
    void leakyRelu() {
        Variable x = var(DType.FLOAT32, 1, "x");
        Variable r = T.relu(x, 0.1);
        assertEquals(DType.FLOAT32, r.dtype());
        assertArray(run(List.of(x), r, vec(DType.FLOAT32, -2, 3)), DType.FLOAT32, shape(2), -0.2, 3);
    }
}
