// aitrack-agent-hook: aitrack's plugin for @AGENT_LABEL@. Written by `aitrack agents install`;
// `aitrack agents uninstall` removes this file (aitrack recognises it by its first line).
//
// A session started without aitrack's shell function (an IDE, a script, `command @AGENT@`) is
// recorded by aitrack's stdlib hook command, run here at session.created (SessionStart) and
// session.idle (Stop); aitrack ends the session when this process exits. The start hook answers
// with the session's environment (AITRACK_SESSION_ID, core.hooksPath for the session only), which
// `shell.env` hands to the bash tool: the agent's commits get the trailer. Nothing is awaited
// except by `shell.env`, once per session; every failure is swallowed: the agent never notices.
import { spawn } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";

const HOOK = @HOOK_ARGV@;
const LOG = join(process.env.XDG_DATA_HOME || join(homedir(), ".local", "share"), @LOG_PATH@);
const WAIT_MS = 5000; // the longest a bash command waits for the start hook (it takes milliseconds)

function hook(event, fields, answer) {
  return new Promise((resolve) => {
    let out = "";
    let child;
    const done = (value) => {
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      try { child.kill("SIGKILL"); } catch {}
      done({});
    }, WAIT_MS);
    try {
      child = spawn(HOOK[0], HOOK.slice(1), { stdio: ["pipe", answer ? "pipe" : "ignore", "ignore"] });
      child.on("error", () => done({}));
      child.stdin.on("error", () => {});
      if (answer) child.stdout.on("data", (chunk) => { out += chunk; });
      child.on("close", () => {
        try { done(answer && out ? JSON.parse(out) : {}); } catch { done({}); }
      });
      child.stdin.end(JSON.stringify({ hook_event_name: event, ...fields }));
    } catch {
      done({});
    }
  });
}

export const AitrackAgentHook = async ({ directory }) => {
  const sessions = new Map(); // OpenCode session id → promise of the environment its bash commands get
  return {
    event: async ({ event }) => {
      try {
        const props = event.properties || {};
        if (event.type === "session.created") {
          const info = props.info || {};
          if (!info.id || sessions.has(info.id)) return;
          if (info.parentID) { // a subagent's session is part of its parent's
            if (sessions.has(info.parentID)) sessions.set(info.id, sessions.get(info.parentID));
            return;
          }
          sessions.set(info.id, hook("SessionStart",
            { session_id: info.id, cwd: info.directory || directory, transcript_path: LOG }, true));
        } else if (event.type === "session.idle" && sessions.has(props.sessionID)) {
          hook("Stop", { session_id: props.sessionID }, false);
        }
      } catch {}
    },
    "shell.env": async (input, output) => {
      try {
        const pending = sessions.get(input.sessionID);
        if (!pending) return;
        for (const [key, value] of Object.entries(await pending)) {
          if (typeof value === "string") output.env[key] = value;
        }
      } catch {}
    },
  };
};
