import { z } from "zod";

/**
 * A public page a fact comes from, with the page's own date (null when it shows none), or a document
 * the MRC holds (an imported PDF leaflet) named by its file.
 */
export const sourceSchema = z
  .object({
    title: z.string().min(3, "must name the page"),
    url: z.url({ protocol: /^https?$/, error: "must be an http(s) address" }).optional(),
    file: z.string().min(1).max(255).optional(),
    date: z
      .union([
        z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, "must be YYYY-MM-DD, YYYY-MM, YYYY or null"),
        // YAML reads a bare year (date: 2019) as a number; accept it as the year it is.
        z.number().int().min(1900).max(2100).transform(String),
      ])
      .nullable(),
    /** News items and third-party copies, as opposed to the official page itself. */
    secondary: z.boolean().default(false),
  })
  .strict()
  .refine((source) => source.url !== undefined || source.file !== undefined, {
    error: "needs a url (or, for an MRC's own document, a file name)",
    path: ["url"],
  });

export type Source = z.output<typeof sourceSchema>;

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD");
