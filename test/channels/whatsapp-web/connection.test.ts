import { describe, expect, it, vi } from "vitest";
import wweb from "whatsapp-web.js";
import { WhatsAppWebConnection } from "../../../channels/whatsapp-web/connection.js";
import { silentLog } from "../../helpers/rahnama.js";

/** Real whatsapp-web.js clients without a browser: `initialize` answers as told. */
function clientFactory(initializeResults: ("ok" | "fail")[]) {
  const clients: wweb.Client[] = [];
  const create = () => {
    const client = new wweb.Client({});
    const result = initializeResults[clients.length] ?? "ok";
    client.initialize = vi.fn(() =>
      result === "ok" ? Promise.resolve() : Promise.reject(new Error("net::ERR_NAME_NOT_RESOLVED")),
    );
    client.destroy = vi.fn(() => Promise.resolve());
    clients.push(client);
    return client;
  };
  return { clients, create };
}

function connect(create: () => wweb.Client, onMessage: (message: unknown) => void = () => undefined) {
  return new WhatsAppWebConnection({
    createClient: create,
    log: silentLog,
    backoff: { initialMs: 1, maxMs: 4 },
    onMessage,
    onQr: () => undefined,
  });
}

describe("WhatsApp Web connection", () => {
  it("retries a failed start with a fresh client, and closes the failed one's browser", async () => {
    const { clients, create } = clientFactory(["fail", "fail", "ok"]);
    const connection = connect(create);
    connection.start();
    await vi.waitFor(() => expect(clients).toHaveLength(3));
    expect(clients[0]?.destroy).toHaveBeenCalled();
    expect(clients[1]?.destroy).toHaveBeenCalled();
    expect(clients[2]?.initialize).toHaveBeenCalledTimes(1);
    expect(connection.status).toMatchObject({ state: "starting", lastProblem: "initialize failed" });
    clients[2]?.emit("ready");
    expect(connection.status).toMatchObject({ state: "connected", lastProblem: null });
    await connection.stop();
  });

  it("reconnects once after an auth failure followed by a disconnect, and not at all once stopped", async () => {
    const { clients, create } = clientFactory([]);
    const connection = connect(create);
    connection.start();
    clients[0]?.emit("auth_failure", "session refused");
    clients[0]?.emit("disconnected", "UNPAIRED");
    expect(connection.status).toMatchObject({ state: "disconnected", lastProblem: "UNPAIRED" });
    await vi.waitFor(() => expect(clients).toHaveLength(2));
    await connection.stop();
    clients[1]?.emit("disconnected", "LOGOUT");
    expect(connection.status.state).toBe("stopped");
    expect(clients).toHaveLength(2);
  });

  it("passes messages on only from the current client, and keeps a failing handler from throwing", async () => {
    const { clients, create } = clientFactory([]);
    const seen: unknown[] = [];
    const connection = connect(create, (message) => {
      seen.push(message);
      throw new Error("handler failed");
    });
    connection.start();
    expect(() => clients[0]?.emit("message", { id: "one" })).not.toThrow();
    clients[0]?.emit("disconnected", "CONFLICT");
    await vi.waitFor(() => expect(clients).toHaveLength(2));
    clients[0]?.emit("message", { id: "stale" });
    clients[1]?.emit("message", { id: "two" });
    expect(seen).toEqual([{ id: "one" }, { id: "two" }]);
    await connection.stop();
  });
});
