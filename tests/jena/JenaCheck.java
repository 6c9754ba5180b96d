// Apache Jena's opinion on what cwkg publishes, for tests/test_jena.py (run by Java's source launcher).
//
//   java -cp JENA JenaCheck.java shacl SHAPES DATA...  for each data file: "# FILE", then one line per
//                                   result (severity TAB focus TAB owner shape TAB path TAB component),
//                                   then "conforms" or "does not conform"
//   java -cp JENA JenaCheck.java owl FILE...         Jena's OWL reasoner over the files: "valid" or its reports

import java.util.ArrayList;
import java.util.List;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.rdf.model.InfModel;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.reasoner.ReasonerRegistry;
import org.apache.jena.reasoner.ValidityReport;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.sparql.path.P_Alt;
import org.apache.jena.sparql.path.P_Inverse;
import org.apache.jena.sparql.path.P_Link;
import org.apache.jena.sparql.path.P_Seq;
import org.apache.jena.sparql.path.Path;

public class JenaCheck {
    static final String SH = "http://www.w3.org/ns/shacl#";

    public static void main(String[] args) {
        if (args.length >= 3 && args[0].equals("shacl")) {
            Graph shapesGraph = RDFDataMgr.loadGraph(args[1]);
            Shapes shapes = Shapes.parse(shapesGraph);
            for (int i = 2; i < args.length; i++) shacl(shapesGraph, shapes, args[i]);
        } else if (args.length >= 2 && args[0].equals("owl")) {
            List<String> files = new ArrayList<>();
            for (int i = 1; i < args.length; i++) files.add(args[i]);
            owl(files);
        } else {
            System.err.println("usage: JenaCheck shacl SHAPES DATA... | owl FILE...");
            System.exit(2);
        }
    }

    static void shacl(Graph shapesGraph, Shapes shapes, String dataFile) {
        Graph data = RDFDataMgr.loadGraph(dataFile);
        System.out.println("# " + dataFile);
        ValidationReport report = ShaclValidator.get().validate(shapes, data);
        for (ReportEntry e : report.getEntries()) {
            System.out.println(String.join("\t",
                local(e.severity().level()), term(e.focusNode()), term(owner(shapesGraph, e.source())),
                path(e.resultPath()), term(e.constraint().getComponent())));
        }
        System.out.println(report.conforms() ? "conforms" : "does not conform");
    }

    /** The named shape a blank-node property shape belongs to, following sh:property upwards. */
    static Node owner(Graph shapes, Node shape) {
        Node property = NodeFactory.createURI(SH + "property");
        while (shape != null && shape.isBlank()) {
            List<Triple> up = shapes.find(Node.ANY, property, shape).toList();
            if (up.isEmpty()) break;
            shape = up.get(0).getSubject();
        }
        return shape;
    }

    /** A path as test_jena.py renders pySHACL's: IRI, ^inverse, a/b/c, (a|b|c). */
    static String path(Path path) {
        if (path == null) return "";
        if (path instanceof P_Link link) return link.getNode().getURI();
        if (path instanceof P_Inverse inverse) return "^" + path(inverse.getSubPath());
        if (path instanceof P_Seq seq) return path(seq.getLeft()) + "/" + path(seq.getRight());
        if (path instanceof P_Alt) {
            List<String> parts = new ArrayList<>();
            alternatives(path, parts);
            return "(" + String.join("|", parts) + ")";
        }
        return path.toString();
    }

    static void alternatives(Path path, List<String> parts) {
        if (path instanceof P_Alt alt) {
            alternatives(alt.getLeft(), parts);
            alternatives(alt.getRight(), parts);
        } else {
            parts.add(path(path));
        }
    }

    static String local(Node node) {
        String uri = node.getURI();
        return uri.substring(uri.lastIndexOf('#') + 1);
    }

    static String term(Node node) {
        if (node == null) return "";
        if (node.isURI()) return node.getURI();
        if (node.isBlank()) return "_:";
        return node.getLiteralLexicalForm();
    }

    static void owl(List<String> files) {
        Model model = ModelFactory.createDefaultModel();
        for (String file : files) RDFDataMgr.read(model, file);
        InfModel inferred = ModelFactory.createInfModel(ReasonerRegistry.getOWLReasoner(), model);
        ValidityReport validity = inferred.validate();
        validity.getReports().forEachRemaining(r -> System.out.println((r.isError() ? "error\t" : "warning\t") + r));
        System.out.println(validity.isValid() ? "valid" : "invalid");
    }
}
