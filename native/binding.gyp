{
  "targets": [
    {
      "target_name": "scorelab_blas",
      "sources": ["scorelab_blas.c"],
      "cflags": ["-O3", "-std=c11", "-fno-math-errno"],
      "libraries": ["-lopenblas", "-lm"]
    }
  ]
}
