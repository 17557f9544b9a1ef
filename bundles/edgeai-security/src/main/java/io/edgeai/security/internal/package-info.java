/** The gateway's own safety checks on who can reach it: the console guard. Nothing here is exported. */
package io.edgeai.security.internal;
