package io.edgeai.models.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway model registry")
@interface RegistryConfig {

    @AttributeDefinition(description = "Folder of the registry, relative to the Karaf data folder")
    String folder() default "edgeai/models";

    @AttributeDefinition(description = "Largest archive accepted, in megabytes")
    int maxArchiveMegabytes() default 256;

    @AttributeDefinition(description = "Most an archive may unpack to, in megabytes (against zip bombs)")
    int maxUnpackedMegabytes() default 1024;
}
