/** The {@code edgeai:} console commands, one class per command, each over the API services it needs. */
package io.edgeai.shell.internal;
