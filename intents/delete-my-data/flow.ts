import { flowAnswer, type Flow } from "../../src/core/flow.js";
import { readYesNo } from "../../src/core/flow-answers.js";

/** Erasure only after an explicit yes: a mistyped "delete" must not wipe a person's history. */
export const deleteMyData: Flow = {
  id: "delete-my-data",
  async start(ctx) {
    ctx.startFlow("delete-my-data", "confirm");
    ctx.say(ctx.text("delete-my-data", "confirm"), {
      quickReplies: [
        ctx.button("delete-my-data", "yes", "flow:erase"),
        ctx.button("delete-my-data", "no", "flow:keep"),
      ],
    });
  },
  async resume(ctx) {
    const answer = flowAnswer(ctx);
    const confirmed = answer === "erase" || readYesNo(ctx) === "yes";
    if (!confirmed) {
      ctx.endFlow("kept");
      ctx.say(ctx.text("delete-my-data", "kept"));
      return;
    }
    const done = ctx.text("delete-my-data", "done");
    await ctx.services.erasure.erase(ctx.conversation);
    ctx.erased = true;
    ctx.services.metrics.erasures.inc();
    // Its keyed reference, never the key: the log line outlives what it records the erasure of.
    ctx.services.log.info(
      ctx.services.logConversation(ctx.conversation.key),
      "conversation data erased at the user's request",
    );
    ctx.say(done);
  },
};
