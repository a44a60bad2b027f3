/**
 * Writes test/fixtures/models/rahnama/tiny-bert: a real ONNX model (8-dimensional token embeddings,
 * masked by the attention mask) with a WordPiece tokenizer in Hugging Face's format. Tiny enough to
 * commit, real enough that transformers.js loads it, tokenises, runs it in onnxruntime and pools it:
 * the tests of the transformers.js embedder run in CI where no model hub can be reached.
 *
 *   npx tsx scripts/generate-tiny-model.ts
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const tinyModelId = "rahnama/tiny-bert";
export const tinyDimension = 8;
export const tinyVocabulary = [
  "[PAD]",
  "[UNK]",
  "[CLS]",
  "[SEP]",
  "[MASK]",
  "query",
  "passage",
  ":",
  ".",
  ",",
  "?",
  "visa",
  "passport",
  "fee",
  "fees",
  "agent",
  "salary",
  "work",
  "permit",
  "the",
  "a",
  "my",
  "is",
  "how",
  "much",
  "what",
  "cost",
  "job",
  "contract",
  "money",
  "send",
  "home",
  "##s",
  "##ing",
] as const;

/** Deterministic, varied, and easy to recompute in a test. */
export function tinyEmbedding(tokenId: number, dimension: number): number {
  return Math.sin((tokenId + 1) * (dimension + 1) * 0.7) + (tokenId % 3) * 0.1;
}

// --- a minimal protobuf writer, enough for the ONNX messages used here ---
function varint(value: bigint | number): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (v >= 0x80n) {
    bytes.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  bytes.push(Number(v));
  return bytes;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, value: number | bigint) => [...key(field, 0), ...varint(value)];
const bytes = (field: number, value: Uint8Array | number[]) => [...key(field, 2), ...varint(value.length), ...value];
const str = (field: number, value: string) => bytes(field, [...new TextEncoder().encode(value)]);
const message = (field: number, parts: number[][]) => bytes(field, parts.flat());

const FLOAT = 1;
const INT64 = 7;

function tensor(field: number, name: string, dims: number[], type: number, raw: Uint8Array): number[] {
  return message(field, [...dims.map((d) => int(1, d)), int(2, type), str(8, name), bytes(9, raw)]);
}

function valueInfo(field: number, name: string, type: number, dims: (number | string)[]): number[] {
  const dimensions = dims.map((d) => message(1, [typeof d === "number" ? int(1, d) : str(2, d)]));
  const tensorType = message(1, [int(1, type), message(2, dimensions)]);
  return message(field, [str(1, name), message(2, [tensorType])]);
}

function node(inputs: string[], outputs: string[], op: string, attributes: number[][] = []): number[] {
  return message(1, [
    ...inputs.map((i) => str(1, i)),
    ...outputs.map((o) => str(2, o)),
    str(3, `${op}_${outputs[0] ?? ""}`),
    str(4, op),
    ...attributes,
  ]);
}

function buildModel(): Uint8Array {
  const vocabularySize = tinyVocabulary.length;
  const table = new Float32Array(vocabularySize * tinyDimension);
  for (let t = 0; t < vocabularySize; t += 1) {
    for (let d = 0; d < tinyDimension; d += 1) table[t * tinyDimension + d] = tinyEmbedding(t, d);
  }
  const axes = new BigInt64Array([-1n]);
  const graph = [
    node(["embeddings", "input_ids"], ["gathered"], "Gather", [message(5, [str(1, "axis"), int(3, 0), int(20, 2)])]),
    node(["attention_mask"], ["mask_float"], "Cast", [message(5, [str(1, "to"), int(3, FLOAT), int(20, 2)])]),
    node(["mask_float", "axes"], ["mask_3d"], "Unsqueeze"),
    node(["gathered", "mask_3d"], ["last_hidden_state"], "Mul"),
    str(2, "tiny-bert"),
    tensor(5, "embeddings", [vocabularySize, tinyDimension], FLOAT, new Uint8Array(table.buffer)),
    tensor(5, "axes", [1], INT64, new Uint8Array(axes.buffer)),
    valueInfo(11, "input_ids", INT64, ["batch", "sequence"]),
    valueInfo(11, "attention_mask", INT64, ["batch", "sequence"]),
    valueInfo(12, "last_hidden_state", FLOAT, ["batch", "sequence", tinyDimension]),
  ];
  return new Uint8Array([
    ...int(1, 7),
    ...str(2, "rahnama-test-fixture"),
    ...message(7, graph),
    ...message(8, [str(1, ""), int(2, 13)]),
  ]);
}

function buildTokenizer() {
  const special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  const id = (token: string) => tinyVocabulary.indexOf(token as (typeof tinyVocabulary)[number]);
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: special.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [id("[CLS]")], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [id("[SEP]")], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(tinyVocabulary.map((token, index) => [token, index])),
    },
  };
}

export async function writeTinyModel(root: string): Promise<string> {
  const dir = path.join(root, tinyModelId);
  await mkdir(path.join(dir, "onnx"), { recursive: true });
  await writeFile(path.join(dir, "onnx", "model_quantized.onnx"), buildModel());
  await writeFile(path.join(dir, "tokenizer.json"), `${JSON.stringify(buildTokenizer(), null, 1)}\n`);
  await writeFile(
    path.join(dir, "tokenizer_config.json"),
    `${JSON.stringify({ tokenizer_class: "BertTokenizer", do_lower_case: true, model_max_length: 64, cls_token: "[CLS]", sep_token: "[SEP]", pad_token: "[PAD]", unk_token: "[UNK]", mask_token: "[MASK]" }, null, 1)}\n`,
  );
  await writeFile(
    path.join(dir, "config.json"),
    `${JSON.stringify({ model_type: "bert", architectures: ["BertModel"], hidden_size: tinyDimension, vocab_size: tinyVocabulary.length }, null, 1)}\n`,
  );
  return dir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures", "models");
  console.log(`wrote ${await writeTinyModel(root)}`);
}
