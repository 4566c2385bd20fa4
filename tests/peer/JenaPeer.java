// Apache Jena as a peer of OncoKG (Debian's libapache-jena-java 4.5), in one JVM per command:
//
//   parse QUERY.rq...               strict SPARQL 1.1 parse of each file: "ok" or "error" lines
//   select DATA.nq OUT QUERY.rq...  runs each query with ARQ over the N-Quads dataset (the
//                                   default graph is the union of its named graphs, as in
//                                   OncoKG's store) and writes OUT/NAME.srj (SPARQL JSON results)
//   shacl SHAPES.ttl OUT DATA...    validates each DATA file with Jena SHACL, writes OUT/NAME.ttl
//
// Run: java -cp JENA_CLASSPATH JenaPeer.java COMMAND ARGS (Java 17 runs a single source file).
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.query.Syntax;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;

public class JenaPeer {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "parse" -> parse(args);
            case "select" -> select(args);
            case "shacl" -> shacl(args);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    private static String name(String file) {
        String base = Path.of(file).getFileName().toString();
        return base.substring(0, base.lastIndexOf('.'));
    }

    private static void parse(String[] args) throws Exception {
        for (int i = 1; i < args.length; i++) {
            String text = Files.readString(Path.of(args[i]));
            try {
                QueryFactory.create(text, Syntax.syntaxSPARQL_11);
                System.out.println("ok\t" + name(args[i]));
            } catch (Exception err) {
                String message = String.valueOf(err.getMessage()).replace('\n', ' ');
                System.out.println("error\t" + name(args[i]) + "\t" + message);
            }
        }
    }

    private static void select(String[] args) throws Exception {
        DatasetGraph loaded = RDFDataMgr.loadDatasetGraph(args[1], Lang.NQUADS);
        DatasetGraph dataset = DatasetGraphFactory.createGeneral();
        loaded.find().forEachRemaining(dataset::add);
        loaded.find().forEachRemaining(q -> dataset.getDefaultGraph().add(q.asTriple()));
        Dataset ds = org.apache.jena.query.DatasetFactory.wrap(dataset);
        for (int i = 3; i < args.length; i++) {
            Query query = QueryFactory.create(Files.readString(Path.of(args[i])), Syntax.syntaxSPARQL_11);
            try (QueryExecution execution = QueryExecutionFactory.create(query, ds);
                 OutputStream out = new FileOutputStream(Path.of(args[2], name(args[i]) + ".srj").toFile())) {
                ResultSetFormatter.outputAsJSON(out, execution.execSelect());
            }
        }
    }

    private static void shacl(String[] args) throws Exception {
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[1]));
        for (int i = 3; i < args.length; i++) {
            Model data = RDFDataMgr.loadModel(args[i]);
            ValidationReport report = ShaclValidator.get().validate(shapes, data.getGraph());
            Path out = Path.of(args[2], name(args[i]) + ".ttl");
            try (OutputStream stream = new FileOutputStream(out.toFile())) {
                RDFDataMgr.write(stream, report.getModel(), Lang.TURTLE);
            }
        }
    }
}
