/**
 * Imported before Cedar's wasm is loaded (`cedar-wasm.ts`): compile it with V8's baseline compiler
 * only (Liftoff). The tools ask Cedar a handful of questions per run, and V8's default tier-up
 * recompiles the hot functions of the 4 MB module with its optimizing compiler, which costs a
 * one-shot tool more than it saves: measured on the example's synth, validation took 0.6–0.7 s and
 * the process 1.8–2.0 s with tier-up, 0.14–0.17 s and 0.3–0.5 s without. The flag only changes how
 * wasm is compiled, not what it computes; it is set once, before the module is compiled.
 *
 * @see https://v8.dev/docs/wasm-compilation-pipeline
 * @packageDocumentation
 */
import { setFlagsFromString } from "node:v8";

setFlagsFromString("--liftoff-only");
