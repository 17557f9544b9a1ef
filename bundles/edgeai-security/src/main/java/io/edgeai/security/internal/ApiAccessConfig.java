package io.edgeai.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway API access",
        description = "Who may call the HTTP API without a credential; the credentials are in credentialsFile")
@interface ApiAccessConfig {

    @AttributeDefinition(description = "The credentials file, relative to Karaf's etc/ folder")
    String credentialsFile() default "edgeai-api-credentials.properties";

    @AttributeDefinition(description = "Scopes of requests without a credential from the network (ingest, predict,"
            + " read, models, training, admin); empty for none")
    String[] anonymousScopes() default {"ingest"};

    @AttributeDefinition(description = "Scopes of requests without a credential from this machine (loopback);"
            + " empty for none. Behind a reverse proxy on the same machine, set it empty")
    String[] localScopes() default {"admin"};

    @AttributeDefinition(description = "Requests per second all requests without a credential may make together;"
            + " 0 for no limit")
    double anonymousRate() default 0;
}
