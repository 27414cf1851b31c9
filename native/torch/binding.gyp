{
  "targets": [
    {
      "target_name": "scorelab_torch",
      "sources": ["addon.cc", "ops_elementwise.cc", "ops_reduce.cc", "ops_shape.cc", "ops_nn.cc", "ops_fused.cc", "ops_dense_stack.cc", "ops_group_norm.cc", "ops_dsm.cc", "ops_time_embedding.cc", "jit.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node ../../scripts/find-libtorch.js include)"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "<!@(node ../../scripts/find-libtorch.js defines)"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++1y"],
      "cflags_cc": ["-std=c++17", "-O3", "-fno-math-errno", "-fexceptions", "-frtti", "-Wno-unused-parameter", "-Wno-unused-variable"],
      "libraries": ["<!@(node ../../scripts/find-libtorch.js libs)"]
    }
  ]
}
