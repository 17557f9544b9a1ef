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

    @AttributeDefinition(description = "Refuse uploaded archives (API, console) that are not signed by a trusted key")
    boolean requireSignature() default false;

    @AttributeDefinition(description = "Refuse archives from the fleet's models channel that are not signed by a"
            + " trusted key")
    boolean requireSignatureFromFleet() default true;

    @AttributeDefinition(description = "Folder of trusted Ed25519 public keys (<name>.pem) and the revocation list"
            + " (revoked), relative to the Karaf etc folder")
    String trustFolder() default "edgeai/trust";
}
