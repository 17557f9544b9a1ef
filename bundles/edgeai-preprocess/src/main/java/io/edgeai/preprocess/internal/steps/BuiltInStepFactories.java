package io.edgeai.preprocess.internal.steps;

import io.edgeai.api.preprocess.StepFactory;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers every built-in step type as a {@link StepFactory} service ({@code step.type=zscore}, ...), beside the
 * ones other bundles add, so that pipelines find all step types the same way.
 */
@Component(immediate = true)
public class BuiltInStepFactories {

    private final List<ServiceRegistration<StepFactory>> registrations = new ArrayList<>();

    @Activate
    public BuiltInStepFactories(BundleContext context) {
        BuiltInSteps.types().forEach((type, factory) -> {
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(StepFactory.TYPE_PROPERTY, type);
            registrations.add(context.registerService(StepFactory.class, factory::apply, properties));
        });
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }
}
