# griha_embed(OUTPUT file.cpp FILES a b c): compiles files into the binary as
# `griha::resources::all()`, keyed by their path relative to the source tree.
function(griha_embed)
  cmake_parse_arguments(E "" "OUTPUT" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${E_OUTPUT} -DROOT=${CMAKE_SOURCE_DIR}
            "-DFILES=${E_FILES}" -P ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${E_FILES} ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding resources" VERBATIM)
endfunction()
