"""The AWS error codes the wizard acts on, named once: the gateway, the provisioning follower, the day-2
commands and the demo (which raises them as RDS would) all read them from here.

RDS answers some of them with and without a `Fault` suffix depending on the API and the SDK's model, so
each group holds both spellings. Codes are listed at
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/CommonErrors.html and on each action's page
(e.g. https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html#API_CreateDBInstance_Errors).
"""

from __future__ import annotations

DB_INSTANCE_NOT_FOUND = "DBInstanceNotFound"
DB_INSTANCE_NOT_FOUND_FAULT = "DBInstanceNotFoundFault"
DB_CLUSTER_NOT_FOUND = "DBClusterNotFound"
DB_CLUSTER_NOT_FOUND_FAULT = "DBClusterNotFoundFault"
INVALID_DB_INSTANCE_STATE = "InvalidDBInstanceState"
INVALID_DB_CLUSTER_STATE = "InvalidDBClusterState"
INVALID_DB_CLUSTER_STATE_FAULT = "InvalidDBClusterStateFault"
DB_INSTANCE_ALREADY_EXISTS = "DBInstanceAlreadyExists"
DB_CLUSTER_ALREADY_EXISTS = "DBClusterAlreadyExists"
THROTTLING = "Throttling"

# The database (instance or Multi-AZ DB cluster) does not exist, or no longer does.
NOT_FOUND = frozenset({DB_INSTANCE_NOT_FOUND, DB_INSTANCE_NOT_FOUND_FAULT, DB_CLUSTER_NOT_FOUND,
                       DB_CLUSTER_NOT_FOUND_FAULT})
# The database exists but is busy (creating, modifying, rebooting, ...): try again once it is available.
INVALID_STATE = frozenset({INVALID_DB_INSTANCE_STATE, INVALID_DB_CLUSTER_STATE,
                           INVALID_DB_CLUSTER_STATE_FAULT})
# The identifier is taken in this account and region.
ALREADY_EXISTS = frozenset({DB_INSTANCE_ALREADY_EXISTS, DB_CLUSTER_ALREADY_EXISTS})
