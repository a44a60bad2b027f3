import type { LanguageCode } from "../../src/i18n/languages.js";
import type { Outbound, QuickReply } from "../../src/core/message.js";
import { numberedOptions, renderReplyText, whatsappStyle } from "../shared/render-text.js";
import { splitText } from "../shared/split-text.js";
import type { GraphMessage } from "./graph-client.js";

/** The Cloud API's limits: https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages */
export const limits = {
  text: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  listRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
} as const;

/** The label of the button that opens a list, and the body of an interactive sent after a long text. */
const choose: Record<LanguageCode, string> = {
  eng: "Choose",
  ben: "বেছে নিন",
  urd: "منتخب کریں",
  fas: "انتخاب کنید",
  pus: "وټاکئ",
  ara: "اختر",
  rus: "Выберите",
  tgk: "Интихоб кунед",
  uzb: "Tanlang",
  kaz: "Таңдаңыз",
  kir: "Тандаңыз",
  tuk: "Saýlaň",
};

/**
 * One reply as Cloud API messages: the text in WhatsApp's markup split at 4096 characters, and the quick
 * replies as up to three reply buttons, else a list of up to ten rows, else numbered lines to answer with
 * a number. Button and row ids are `o:<n>`, resolved through OptionMemory when tapped.
 */
export function renderOutbound(outbound: Outbound): GraphMessage[] {
  const pieces = splitText(renderReplyText(outbound, whatsappStyle), limits.text);
  const options = outbound.quickReplies;
  if (options.length === 0) return pieces.map(textMessage);
  if (options.length > limits.listRows) {
    const numbered = `${pieces.join("\n\n")}\n\n${numberedOptions(options, whatsappStyle)}`;
    return splitText(numbered, limits.text).map(textMessage);
  }
  const label = choose[outbound.lang];
  const last = pieces.at(-1);
  const fitsBody = last !== undefined && last.length <= limits.interactiveBody;
  const body = fitsBody ? last : label;
  const before = (fitsBody ? pieces.slice(0, -1) : pieces).map(textMessage);
  const useButtons =
    options.length <= limits.buttons && options.every((option) => option.title.length <= limits.buttonTitle);
  return [...before, useButtons ? buttonsMessage(body, options) : listMessage(body, label, options)];
}

function textMessage(body: string): GraphMessage {
  return { type: "text", text: { body, preview_url: false } };
}

function buttonsMessage(body: string, options: readonly QuickReply[]): GraphMessage {
  return {
    type: "interactive",
    interactive: {
      type: "button",
      body: { text: body },
      action: {
        buttons: options.map((option, index) => ({
          type: "reply" as const,
          reply: { id: `o:${String(index + 1)}`, title: option.title },
        })),
      },
    },
  };
}

function listMessage(body: string, label: string, options: readonly QuickReply[]): GraphMessage {
  return {
    type: "interactive",
    interactive: {
      type: "list",
      body: { text: body },
      action: {
        button: truncate(label, limits.listButton),
        sections: [
          {
            rows: options.map((option, index) => {
              const title = truncate(option.title, limits.rowTitle);
              // A cut title is shown whole underneath, where rows have room for 72 characters.
              return title === option.title
                ? { id: `o:${String(index + 1)}`, title }
                : {
                    id: `o:${String(index + 1)}`,
                    title,
                    description: truncate(option.title, limits.rowDescription),
                  };
            }),
          },
        ],
      },
    },
  };
}

/** Cuts to `max` characters (code points, so no surrogate pair is split) ending in "…". */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}
