// Every recruiter screen, behind one dynamic import (one chunk).
export { ApplicationView } from "./ApplicationView";
export { EditJob, Jobs, NewJob } from "./Jobs";
export { OrganizationSettings, Organizations } from "./Organizations";
export { Pipeline } from "./Pipeline";
export { RankedApplications } from "./Ranked";
