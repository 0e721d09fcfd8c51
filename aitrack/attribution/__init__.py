"""Line-level attribution: which lines of a commit an agent session wrote, and which a person did.

Pure (no git, mlflow or click): `lines` decides, `note` reads and writes the note format. Git access
(the diffs, `git blame`, the notes ref) is in aitrack/vcs/attribution.py.
"""
