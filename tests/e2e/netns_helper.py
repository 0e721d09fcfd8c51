"""Run inside `unshare -n`: bring loopback up, listen on 127.0.0.1, hand the socket to the parent.

The parent serves HTTP on that socket from the host namespace (a socket keeps the namespace it was
made in), while the agent CLIs are started with `nsenter --net=/proc/<this pid>/ns/net`: they can
reach the scripted model on 127.0.0.1 and nothing else. This process lives until stdin closes.
"""
import socket
import subprocess
import sys

subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
listener = socket.create_server(("127.0.0.1", 0))
channel = socket.socket(fileno=int(sys.argv[1]))
socket.send_fds(channel, [b"x"], [listener.fileno()])
sys.stdin.read()
