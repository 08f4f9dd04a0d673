import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.springframework.context.support.GenericXmlApplicationContext;
import org.springframework.core.io.FileSystemResource;
import org.springframework.scripting.support.ResourceScriptSource;
import org.springframework.scripting.support.StandardScriptEvaluator;
import org.springframework.scripting.support.StaticScriptSource;

/** Spring Framework's javax.script support, run with Spring's jars and the single jar only. */
public class SpringProbe {
    public interface Scaler {
        double[] normalize(double[] v);
        double norm(double[] v);
    }

    public interface Counter {
        double add(double a);
    }

    public static void main(String[] args) throws Exception {
        // StandardScriptEvaluator by engine name, with argument bindings
        StandardScriptEvaluator byName = new StandardScriptEvaluator();
        byName.setEngineName("tsl");
        Map<String, Object> in = new HashMap<>();
        in.put("v", new double[] {1, 2, 3});
        Object sum = byName.evaluate(new StaticScriptSource("x = dvector('x')\nfunction([x], (x * x).sum())(v)"), in);
        // an immutable argument map, as Map.of gives
        Object twice = byName.evaluate(new StaticScriptSource("k * 2"), Map.of("k", 21));
        System.out.println("evaluator: " + sum + " " + twice);

        // by file extension: no engine name, a .tsl resource
        StandardScriptEvaluator byExtension = new StandardScriptEvaluator();
        Object grad = byExtension.evaluate(new ResourceScriptSource(new FileSystemResource(args[0] + "/spring-eval.tsl")),
                Map.of("v", new double[] {1, 2}));
        System.out.println("by extension: " + grad);

        // <lang:std> beans in an application context
        try (GenericXmlApplicationContext ctx = new GenericXmlApplicationContext()) {
            ctx.load(new FileSystemResource(args[0] + "/spring-context.xml"));
            ctx.refresh();
            Scaler scaler = ctx.getBean("scaler", Scaler.class);
            Counter counter = ctx.getBean("counter", Counter.class);
            counter.add(2.5);
            System.out.println("beans: " + Arrays.toString(scaler.normalize(new double[] {3, 4})) + " "
                    + scaler.norm(new double[] {3, 4}) + " " + counter.add(4));
        }
    }
}
