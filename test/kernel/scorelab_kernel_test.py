"""Debian's jupyter_kernel_test suite against the installed `scorelab` kernelspec.

Run by test/kernel/protocol.test.ts with JUPYTER_PATH pointing at a temporary prefix.
Skipped upstream tests (each with its reason):
- test_pager: scorelab has no pager payloads (help goes to stdout).
"""
import unittest

import jupyter_kernel_test as jkt


class ScorelabKernelTests(jkt.KernelTests):
    kernel_name = "scorelab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("to stderr")'
    code_generate_error = 'throw new Error("boom")'
    code_execute_result = [
        {"code": "1 + 1", "result": "2"},
        {"code": "const s: string = 'ab'; s.length", "result": "2"},
    ]
    code_display_data = [
        {"code": 'display({data: [{y: [1, 2, 3]}], layout: {}})', "mime": "application/vnd.plotly.v1+json"},
        {"code": 'display([{a: 1, b: 2}])', "mime": "text/html"},
    ]
    completion_samples = [{"text": "Math.ab", "matches": {"abs"}}]
    complete_code_samples = ["1 + 1", "let x = 1;", "%seed 3"]
    incomplete_code_samples = ["function f() {", "let a = ["]
    code_inspect_sample = "Math.abs"

    def test_pager(self):
        raise unittest.SkipTest("scorelab sends help to stdout, not as pager payloads")

    # history_request: tail, range and search (kernel/history.ts); clearOutput() sends clear_output.
    code_history_pattern = "1 + *"
    supported_history_operations = ("tail", "range", "search")
    code_clear_output = "clearOutput()"

    def test_magic_error_is_one_line(self):
        self.flush_channels()
        reply, outputs = self.execute_helper("%seed notanumber")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "MagicError")
        self.assertNotIn("\n", reply["content"]["evalue"])
        self.assertEqual([m["msg_type"] for m in outputs], ["error"])

    def test_magic_completion_and_help(self):
        self.flush_channels()
        self.kc.complete("%train_score --st", 17)
        reply = self.kc.get_shell_msg(timeout=jkt.TIMEOUT)
        self.assertEqual(reply["content"]["matches"], ["--steps"])
        self.assertEqual(reply["content"]["cursor_start"], 13)
        self.kc.inspect("%seed 3", 2)
        reply = self.kc.get_shell_msg(timeout=jkt.TIMEOUT)
        self.assertTrue(reply["content"]["found"])
        self.assertIn("Usage: %seed", reply["content"]["data"]["text/plain"])

    def test_kernel_info_status_and_banner(self):
        self.flush_channels()
        self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=jkt.TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertIn("backend", reply["content"]["banner"])


if __name__ == "__main__":
    unittest.main()
