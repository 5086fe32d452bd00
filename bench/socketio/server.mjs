// Socket.IO 4.8.4 fan-out server (the reference, without durability): child process of fanout.mjs.
// Listens on 127.0.0.1:<port> with the websocket transport only; every connection joins one room.
// On the parent's {cmd: "send", rate, count, template} it broadcasts `count` messages to the room at
// `rate`/s, open loop: `template` (the JSON shape of our task event message) with event.message set
// to "b <index> <hrtime ns>" and seq counting up, as our server's message for the same event.
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = +(process.argv[2] ?? 0);
const httpServer = createServer();
const io = new Server(httpServer, { transports: ["websocket"], serveClient: false });
io.on("connection", (socket) => socket.join("task"));
httpServer.listen(port, "127.0.0.1", () => process.send({ listening: httpServer.address().port }));

process.on("message", async (m) => {
  if (m.cmd === "stop") { io.close(); httpServer.close(); process.exit(0); }
  if (m.cmd !== "send") return;
  const t0 = performance.now();
  for (let i = 0; i < m.count; i++) {
    const wait = t0 + (i * 1000) / m.rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const msg = structuredClone(m.template);
    msg.seq = i + 2;
    msg.event.message = `b ${i} ${process.hrtime.bigint()}`;
    io.to("task").emit("message", msg);
  }
  process.send({ sent: m.count, seconds: (performance.now() - t0) / 1000 });
});
