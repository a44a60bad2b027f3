import { describe, expect, it } from "vitest";
import { OptionMemory } from "../../../channels/shared/option-memory.js";
import { UserIdHasher } from "../../../channels/shared/user-ids.js";
import { actionCheck } from "../../../channels/telegram/render.js";
import { languageHint, translateUpdate, updateSchema } from "../../../channels/telegram/updates.js";
import { MemoryStore } from "../../../src/store/memory-store.js";

const deps = () => ({
  userIds: UserIdHasher.withSalt("salt-for-update-tests"),
  options: new OptionMemory(new MemoryStore()),
  now: () => new Date("2026-11-28T10:00:00Z"),
});
const from = { id: 11, is_bot: false, first_name: "Amina", language_code: "bn" };
const chat = { id: 11, type: "private", first_name: "Amina" };
const message = (extra: Record<string, unknown>) =>
  updateSchema.parse({ update_id: 1, message: { message_id: 2, date: 0, from, chat, ...extra } });

describe("Telegram updates at the edge", () => {
  it("maps Telegram language codes to ours, and ignores the ones we do not speak", () => {
    expect(languageHint("bn")).toBe("ben");
    expect(languageHint("ru-RU")).toBe("rus");
    expect(languageHint("fa")).toBe("fas");
    expect(languageHint("de")).toBeUndefined();
    expect(languageHint(undefined)).toBeUndefined();
  });

  it("reads media as attachments with the file id, and a caption as the text", async () => {
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [{ voice: { file_id: "v1", duration: 1 } }, "audio", "telegram:file:v1"],
      [{ audio: { file_id: "a1" } }, "audio", "telegram:file:a1"],
      [{ photo: [{ file_id: "small" }, { file_id: "large" }], caption: "my contract" }, "image", "telegram:file:large"],
      [{ video: { file_id: "vid" } }, "video", "telegram:file:vid"],
      [{ document: { file_id: "doc", mime_type: "application/pdf" } }, "document", "telegram:file:doc"],
      [{ sticker: { file_id: "st" } }, "sticker", "telegram:file:st"],
      [{ location: { latitude: 23.81, longitude: 90.41 } }, "location", "23.81,90.41"],
    ];
    for (const [extra, kind, reference] of cases) {
      const translation = await translateUpdate(message(extra), deps());
      expect(translation.kind).toBe("inbound");
      if (translation.kind !== "inbound") continue;
      expect(translation.input.attachments).toEqual([expect.objectContaining({ kind, reference })]);
      expect(translation.input.text).toBe(extra.caption ?? "");
    }
  });

  it("ignores groups, channel posts, edits and empty service messages", async () => {
    const group = updateSchema.parse({
      update_id: 1,
      message: { message_id: 2, date: 0, from, chat: { id: -5, type: "group" }, text: "hi" },
    });
    const channelPost = updateSchema.parse({
      update_id: 1,
      channel_post: { message_id: 1, chat: { id: -9, type: "channel" } },
    });
    const edit = updateSchema.parse({
      update_id: 1,
      edited_message: { message_id: 2, date: 0, from, chat, text: "hi" },
    });
    const service = message({ pinned_message: { message_id: 1 } });
    for (const update of [group, channelPost, edit, service]) {
      expect((await translateUpdate(update, deps())).kind).toBe("ignored");
    }
  });

  it("rejects malformed updates at the schema", () => {
    expect(updateSchema.safeParse({ message: {} }).success).toBe(false);
    expect(updateSchema.safeParse({ update_id: 1, message: { message_id: 1, chat: null } }).success).toBe(false);
    expect(updateSchema.safeParse("not an update").success).toBe(false);
  });

  it("maps a button handle to the remembered action, and a stale one to just its title", async () => {
    const d = deps();
    const address = { channel: "telegram" as const, user: d.userIds.hash("telegram", "11"), conversation: "11" };
    await d.options.remember(address, [
      { title: "Costs", action: "intent:recruitment-costs" },
      { title: "Counsellor", action: "intent:counsellor" },
    ]);
    const tap = (data: string, title: string) =>
      updateSchema.parse({
        update_id: 3,
        callback_query: {
          id: "q1",
          from,
          chat_instance: "x",
          data,
          message: {
            message_id: 8,
            date: 0,
            chat,
            reply_markup: { inline_keyboard: [[{ text: title, callback_data: data }]] },
          },
        },
      });
    const fresh = await translateUpdate(tap(`o:2:${actionCheck("intent:counsellor")}`, "Counsellor"), d);
    expect(fresh).toMatchObject({
      kind: "inbound",
      callbackId: "q1",
      input: { id: "11:cb:q1", text: "Counsellor", action: "intent:counsellor", address },
    });
    const stale = await translateUpdate(tap(`o:2:${actionCheck("intent:documents")}`, "Passport"), d);
    expect(stale).toMatchObject({ kind: "inbound", input: { text: "Passport" } });
    expect(stale.kind === "inbound" && stale.input.action).toBeFalsy();
  });
});
