"""Executes notebooks through nbclient with the scorelab kernel (SCORELAB_QUICK=1 comes from the environment).
Prints one JSON object per notebook: path, errors (ename: evalue), seconds, the summary cell's stdout, the verdict it displayed
(application/vnd.scorelab.verdict+json) and that display's text."""
import json
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    t0 = time.time()
    err = None
    try:
        NotebookClient(nb, kernel_name="scorelab", timeout=180).execute()
    except CellExecutionError as e:
        err = str(e).strip().splitlines()[-1][:500]
    errors = [f"{o.get('ename')}: {o.get('evalue')}" for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    summary = "".join(o.get("text", "") for c in nb.cells if "summary" in c.get("metadata", {}).get("tags", [])
                      for o in c.get("outputs", []) if o.get("output_type") == "stream")
    verdicts = [o["data"]["application/vnd.scorelab.verdict+json"] for c in nb.cells if "summary" in c.get("metadata", {}).get("tags", [])
                for o in c.get("outputs", []) if "application/vnd.scorelab.verdict+json" in o.get("data", {})]
    shown = "".join("".join(o["data"].get("text/plain", "")) for c in nb.cells if "summary" in c.get("metadata", {}).get("tags", [])
                    for o in c.get("outputs", []) if "application/vnd.scorelab.verdict+json" in o.get("data", {}))
    print(json.dumps({"path": path, "errors": errors or ([err] if err else []), "seconds": round(time.time() - t0, 1), "summary": summary,
                      "verdict": verdicts[0] if verdicts else None, "shown": shown}), flush=True)
