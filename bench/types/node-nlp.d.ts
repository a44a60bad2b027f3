// node-nlp ships no types; the benchmark uses only these calls.
declare module "node-nlp" {
  const nodeNlp: unknown;
  export default nodeNlp;
}
