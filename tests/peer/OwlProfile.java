// OWL 2 DL profile check with the OWL API (Debian's libowlapi-java), as ROBOT's
// `validate-profile` does it: loads every file given into one ontology and prints one line per
// profile violation, then "violations: N". Run: java -cp OWLAPI_CLASSPATH OwlProfile.java FILE...
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.rio.RioTurtleParserFactory;

public class OwlProfile {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        // every file is parsed into the same ontology, so the data sees the ontology's declarations
        OWLOntology merged = manager.createOntology();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration();
        for (String path : args) {
            new RioTurtleParserFactory().createParser()
                .parse(new FileDocumentSource(new File(path)), merged, config);
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(merged);
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println(violation.getClass().getSimpleName() + "\t" + violation);
        }
        System.out.println("violations: " + report.getViolations().size());
    }
}
