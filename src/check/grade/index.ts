/** Grading a class: run each submitted notebook in its own limited process and turn its checks into points. */
export * from "./types";
export { readAssignment, prepareSubmission, type Assignment, type GradedCell, type Prepared } from "./assignment";
export { listSubmissions, type Submission } from "./collect";
export { localPool, type GradePool } from "./pool";
export { runSubmission, type CellRun, type SubmissionRun, type RunSubmissionOptions, type SubmissionRunner } from "./run-submission";
export { scoreRun, malformedRows } from "./score";
export { feedbackNotebook } from "./feedback";
export { gradesCsv, gradesTable, scoreDistributionFigure, GRADE_COLUMNS } from "./report";
export { gradeSubmissions, type GradeOptions, type GradeResult } from "./grade";
