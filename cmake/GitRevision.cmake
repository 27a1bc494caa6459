# Regenerates git_revision.cpp at every build (only touching it when the
# revision changes), so `renewsim --version` names the commit it was built from.
set(RENEWSIM_REVISION_CPP ${CMAKE_BINARY_DIR}/generated/git_revision.cpp)
add_custom_target(renewsim_git_revision
  BYPRODUCTS ${RENEWSIM_REVISION_CPP}
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${RENEWSIM_REVISION_CPP}
          -P ${CMAKE_SOURCE_DIR}/cmake/WriteGitRevision.cmake
  COMMENT "Recording git revision")
