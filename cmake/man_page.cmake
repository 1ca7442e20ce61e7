# Writes the man page from the binary's own help, so that it never disagrees with it:
# help2man makes the page from `ipcsim --help` and `--version`; each verb's --help (the verbs
# read from the top-level help's Subcommands) becomes a VERBS section, and man/ipcsim.h2m
# adds the description, examples, exit status, environment and files.
#   cmake -DIPCSIM=... -DHELP2MAN=... -DINCLUDE=man/ipcsim.h2m -DOUTPUT=ipcsim.1 -P man_page.cmake
execute_process(COMMAND ${IPCSIM} --help OUTPUT_VARIABLE top RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${IPCSIM} --help failed")
endif()
string(REGEX REPLACE ".*\nSubcommands:\n" "" listed "${top}")
string(REPLACE "\n" ";" lines "${listed}")
file(READ ${INCLUDE} sections)
string(APPEND sections "\n[VERBS]\n")
foreach(line IN LISTS lines)
  if(NOT line MATCHES "^  ([a-z]+) ")
    continue()
  endif()
  set(verb ${CMAKE_MATCH_1})
  execute_process(COMMAND ${IPCSIM} ${verb} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${IPCSIM} ${verb} --help failed")
  endif()
  # Preformatted, with roff's escape character and leading dots made literal.
  string(REPLACE "\\" "\\e" help "${help}")
  string(REGEX REPLACE "(^|\n)\\." "\\1\\\\&." help "${help}")
  string(APPEND sections ".SS ${verb}\n.nf\n${help}.fi\n")
endforeach()
get_filename_component(output_dir ${OUTPUT} DIRECTORY)
file(WRITE ${output_dir}/ipcsim.h2m.all "${sections}")
execute_process(COMMAND ${HELP2MAN} --no-info --no-discard-stderr --section 1 --source "ipcsim"
                        --include ${output_dir}/ipcsim.h2m.all --output ${OUTPUT} ${IPCSIM}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "help2man failed")
endif()
