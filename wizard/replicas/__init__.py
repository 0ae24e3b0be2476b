"""Read replicas: the rules checked before CreateDBInstanceReadReplica, create, promote, lag and the drill."""
