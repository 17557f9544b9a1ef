package io.edgeai.preprocess.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway preprocessing",
        description = "Where pipeline definition files are read from, and where learned state is kept")
@interface PreprocessConfig {

    @AttributeDefinition(description = "Folders holding <name>.pipeline.yaml / .yml / .json files, relative to the"
            + " Karaf base folder, separated by commas")
    String folders() default "etc,deploy";

    @AttributeDefinition(description = "Milliseconds between two looks at the folders for changed files")
    long scanIntervalMillis() default 500;

    @AttributeDefinition(description = "Folder for what pipelines learned from their first readings (relative to the"
            + " Karaf data folder), so that it survives restarts")
    String stateFolder() default "edgeai/pipelines";
}
