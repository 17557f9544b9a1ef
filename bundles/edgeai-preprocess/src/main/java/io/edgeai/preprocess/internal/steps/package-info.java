/**
 * The built-in steps (cleaning, units, scaling, windows, time, augmentation) and their factories.
 */
package io.edgeai.preprocess.internal.steps;
