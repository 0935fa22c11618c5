import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

// Adds the cdktf jest matchers (toHaveResourceWithProperties, toBeValidTerraform, …).
Testing.setupJest();
